import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closestMatch, didYouMean, editDistance } from '../../src/util/suggest.js';

const suggest = suite('suggest: did you mean');

suggest('edit distance counts insertions, deletions, substitutions and swaps', () => {
  assert.is(editDistance('abc', 'abc'), 0);
  assert.is(editDistance('contine_on_error', 'continue_on_error'), 1);
  assert.is(editDistance('uses', 'usse'), 1);
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('', 'abc'), 3);
});

suggest('the closest known name is suggested when it is close enough', () => {
  const keys = ['id', 'name', 'uses', 'with', 'if', 'timeout', 'retry', 'continue_on_error'];
  assert.is(closestMatch('contine_on_error', keys), 'continue_on_error');
  assert.is(closestMatch('timout', keys), 'timeout');
  assert.is(closestMatch('Uses', keys), 'uses');
  assert.is(closestMatch('createIdentty', ['http', 'createIdentity', 'getIdentity']), 'createIdentity');
  assert.is(closestMatch('banana', keys), undefined);
  assert.is(closestMatch('uses', keys), undefined);
});

suggest('didYouMean is a sentence or nothing', () => {
  assert.is(didYouMean('statuss', ['status', 'headers', 'body']), ' Did you mean `status`?');
  assert.is(didYouMean('zzz', ['status']), '');
});

suggest.run();
