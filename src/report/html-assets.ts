import { createHash } from 'node:crypto';

/*
 * The HTML report's style sheet and script, inlined into every page: the file must open from a CI
 * artifact with nothing to fetch. The script only adds sorting, filtering and expand/collapse; the page
 * reads without it.
 */

export const HTML_STYLE = `
:root{--ok:#1a7f37;--bad:#cf222e;--skip:#8c959f;--warn:#9a6700;--fg:#1f2328;--dim:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--track:#eef1f4;
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
body{margin:0}
.page{display:flex;flex-direction:column;max-width:1200px;margin:0 auto;padding:1rem 1.25rem 3rem}
.summary{order:-1}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
h1{font-size:1.35rem;margin:.25rem 0 .5rem;display:flex;gap:.6rem;align-items:center;flex-wrap:wrap}
h2{font-size:1.05rem;margin:1.25rem 0 .5rem}
.badge{font-size:.8rem;font-weight:700;letter-spacing:.04em;color:#fff;background:var(--c);border-radius:4px;padding:.15rem .5rem}
.dim,.name{color:var(--dim)}
.count.st-passed,.st-passed{--c:var(--ok)}.count.st-failed,.count.st-invalid,.st-failed,.st-invalid{--c:var(--bad)}.count.st-skipped,.st-skipped{--c:var(--skip)}.count.st-interrupted,.st-interrupted,.st-allowed{--c:var(--warn)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
dl.facts dt{color:var(--dim)}dl.facts dd{margin:0;overflow-wrap:anywhere}
.counts{display:flex;gap:.4rem;flex-wrap:wrap;margin:.5rem 0}
.count{--c:var(--line);border:1px solid var(--line);border-left:4px solid var(--c);border-radius:4px;padding:.1rem .5rem;background:#fff;font:inherit;color:inherit}
button.count{cursor:pointer}button.count[aria-pressed=false]{opacity:.45;text-decoration:line-through}
.warn{border:1px solid var(--warn);background:#fff8c5;padding:.4rem .6rem;border-radius:4px}
.resume{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:.5rem .75rem}
.resume code{font-size:13px;user-select:all}
.failures{margin:.25rem 0;padding-left:1.25rem}.failures li{margin:.2rem 0}
.fail{border-left:3px solid var(--bad);background:#fff5f5;padding:.35rem .6rem;margin:.25rem 0;border-radius:0 4px 4px 0}
.fail p{margin:.15rem 0}.code{font-weight:700;color:var(--bad)}.at code{color:var(--fg)}
.exp-head{font-weight:600}
table{border-collapse:collapse;margin:.35rem 0;font-size:13px}
th,td{text-align:left;padding:.15rem .6rem .15rem 0;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--dim);font-weight:500}
.path{overflow-wrap:anywhere}.http2{color:var(--ok)}.http4,.http5{color:var(--bad);font-weight:600}
summary{list-style:none;cursor:pointer}summary::-webkit-details-marker{display:none}
.row{display:grid;grid-template-columns:1.2rem minmax(12rem,24rem) minmax(8rem,1fr) 5.5rem;gap:.6rem;align-items:center;padding:.2rem .25rem;border-radius:4px}
summary.row:hover{background:var(--soft)}
.mark{font-weight:700;color:var(--c);text-align:center}
.label{overflow-wrap:anywhere;padding-left:calc(var(--depth,0) * 1.1rem)}
.label::before{content:"▸";display:inline-block;width:.9rem;color:var(--dim);transition:transform .1s}
details[open]>summary>.label::before{transform:rotate(90deg)}
.axis .label::before{content:""}
.uses{color:var(--dim);font-size:11px}
.tag{font-size:11px;border:1px solid var(--line);border-radius:3px;padding:0 .3rem;margin-left:.3rem;color:var(--dim);white-space:nowrap}
.track{position:relative;height:.85rem;background:var(--track);border-radius:3px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.bar{position:absolute;top:0;bottom:0;min-width:2px;background:var(--c);border-radius:3px;opacity:.85}
.tick{position:absolute;top:-3px;bottom:-3px;width:2px;margin-left:-1px;background:var(--fg);opacity:.55}
.note{position:absolute;left:.4rem;font-size:11px;line-height:.85rem;color:var(--dim)}
.scale{background:none;height:1rem}.scale span{position:absolute;font-size:11px;color:var(--dim);transform:translateX(-50%);white-space:nowrap}
.scale span:first-child{transform:none}
.axis{cursor:default;border-bottom:1px solid var(--line);border-radius:0}
.dur{text-align:right;font-variant-numeric:tabular-nums;color:var(--dim);white-space:nowrap}
ol.steps{list-style:none;margin:0;padding:0}
.step .body{margin:.15rem 0 .6rem calc(2rem + var(--depth,0) * 1.1rem);padding:.1rem .75rem;border-left:2px solid var(--line)}
.group{margin:.9rem 0 .2rem;padding-top:.5rem;border-top:1px dashed var(--line);font-weight:600}
details.io>summary{color:var(--dim);font-size:13px;margin:.2rem 0}details.io>summary::before{content:"▸ "}details.io[open]>summary::before{content:"▾ "}
pre{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:.5rem;max-height:28rem;overflow:auto;margin:.2rem 0 .4rem}
.controls{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;margin:.5rem 0}
.controls input{font:inherit;padding:.2rem .4rem;border:1px solid var(--line);border-radius:4px;min-width:14rem}
.controls button,.sort{font:inherit;background:#fff;border:1px solid var(--line);border-radius:4px;padding:.1rem .5rem;cursor:pointer}
.nojs .js-only{display:none}
.units{--span:1}
.urow{display:grid;grid-template-columns:5.5rem minmax(10rem,18rem) minmax(6rem,12rem) 5rem 1fr;gap:.6rem;align-items:center;padding:.2rem .25rem;border-bottom:1px solid var(--soft)}
.uhead{font-weight:500;color:var(--dim);border-bottom:1px solid var(--line)}
.uhead .sort{border:none;padding:0;color:inherit;text-align:left}.nojs .uhead .sort{cursor:default}
.sort[aria-sort=ascending]::after{content:" ▲"}.sort[aria-sort=descending]::after{content:" ▼"}
summary.urow:hover{background:var(--soft)}
.ustatus{color:var(--c)}.uhead .ustatus{color:inherit}.ulabel{overflow-wrap:anywhere}.ulabel::before{content:"▸";display:inline-block;width:.9rem;color:var(--dim)}
details[open]>summary>.ulabel::before{transform:rotate(90deg)}
.urow .bar{left:calc(var(--s) * 100% / var(--span));width:calc(var(--d) * 100% / var(--span))}
.uerr{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;color:var(--dim)}.uerr code{color:var(--bad);font-weight:700}
.ubody{margin:.25rem 0 1rem 1.6rem;padding:.25rem .75rem;border-left:2px solid var(--c)}
.unit[hidden]{display:none}
.unit:not([open]){content-visibility:auto;contain-intrinsic-size:auto 1.9rem}
footer{margin-top:2rem;color:var(--dim);font-size:12px;border-top:1px solid var(--line);padding-top:.5rem}
@media (max-width:720px){.row{grid-template-columns:1.2rem 1fr 5rem}.row .track{grid-column:2/4}.urow{grid-template-columns:5.5rem 1fr 5rem}.urow .track,.urow .uerr{display:none}}
@media print{:root{font-size:10pt}.page{max-width:none;padding:0}.controls button,.controls input,.js-only{display:none!important}
pre{max-height:none;white-space:pre-wrap}summary.row:hover,summary.urow:hover{background:none}
.step,.unit{break-inside:avoid-page}a{color:inherit;text-decoration:none}}
`;

export const HTML_SCRIPT = `(() => {
  const d = document;
  d.documentElement.classList.remove('nojs');
  const page = d.querySelector('.page');
  const summary = d.querySelector('.summary');
  if (page && summary && page.firstElementChild !== summary) page.prepend(summary);
  const data = JSON.parse(d.getElementById('paxflow-data').textContent || '{}');
  if (data.title) d.title = data.title;
  const openTarget = () => {
    const target = location.hash && d.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (let node = target; node; node = node.parentElement) if (node.tagName === 'DETAILS') node.open = true;
    if (target) target.scrollIntoView();
  };
  window.addEventListener('hashchange', openTarget);
  openTarget();
  for (const button of d.querySelectorAll('[data-expand]')) {
    button.addEventListener('click', () => {
      const open = button.dataset.expand === 'open';
      for (const details of d.querySelectorAll('.step > details, details.unit')) if (!details.parentElement.closest('.unit[hidden]')) details.open = open;
    });
  }
  const list = d.querySelector('.unit-list');
  if (!list) return;
  const units = [...list.children];
  const hidden = new Set();
  const search = d.getElementById('unit-filter');
  const shown = d.getElementById('unit-shown');
  const apply = () => {
    const text = (search && search.value || '').trim().toLowerCase();
    let count = 0;
    for (const unit of units) {
      const visible = !hidden.has(unit.dataset.status) && (!text || unit.querySelector('summary').textContent.toLowerCase().includes(text));
      unit.hidden = !visible;
      if (visible) count += 1;
    }
    if (shown) shown.textContent = count + ' of ' + units.length + ' shown';
  };
  for (const chip of d.querySelectorAll('button[data-status]')) {
    chip.addEventListener('click', () => {
      const status = chip.dataset.status;
      if (hidden.has(status)) hidden.delete(status); else hidden.add(status);
      chip.setAttribute('aria-pressed', String(!hidden.has(status)));
      apply();
    });
  }
  if (search) search.addEventListener('input', apply);
  const rank = { failed: 0, invalid: 1, interrupted: 2, passed: 3 };
  const keys = {
    index: (u) => Number(u.dataset.i),
    status: (u) => rank[u.dataset.status] ?? 9,
    label: (u) => u.dataset.label,
    duration: (u) => Number(u.dataset.ms),
  };
  const collator = new Intl.Collator(undefined, { numeric: true });
  for (const button of d.querySelectorAll('.sort[data-key]')) {
    button.addEventListener('click', () => {
      const key = button.dataset.key;
      const descending = button.getAttribute('aria-sort') === 'ascending';
      for (const other of d.querySelectorAll('.sort[data-key]')) other.removeAttribute('aria-sort');
      button.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      const value = keys[key];
      const sorted = [...units].sort((a, b) => {
        const x = value(a), y = value(b);
        const order = typeof x === 'string' ? collator.compare(x, y) : x - y;
        return (descending ? -order : order) || Number(a.dataset.i) - Number(b.dataset.i);
      });
      list.append(...sorted);
    });
  }
  apply();
})();`;

/**
 * The page's Content-Security-Policy: nothing may be fetched, and only this script may run. Even if text
 * from a run ever got into the markup unescaped, an injected `<script>` or `onerror=` would not run.
 */
export const HTML_CSP = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${createHash('sha256').update(HTML_SCRIPT).digest('base64')}'; base-uri 'none'; form-action 'none'`;
