// Handlebars' parser, initialised by the first template that needs it rather than at start-up (the
// templates of most workflows are analysed and rendered without it: simple.ts). CommonJS on purpose:
// esbuild bundles a require() inside a function as a module initialised on that call, and Node's own
// require finds the package from here when running from source.
'use strict';

exports.loadParser = () => require('handlebars/dist/cjs/handlebars/compiler/base.js');
