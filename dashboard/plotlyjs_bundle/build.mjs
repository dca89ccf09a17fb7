// Builds plotly-dashboard.min.js: plotly.js's own modules (core, which brings scatter, plus the trace types below)
// registered as plotly.js documents for smaller bundles, bundled and minified with esbuild, the bundler plotly.js
// itself is built with. The full plotly.min.js (4.8 MB) took a cold browser ~1.1 s to evaluate before a chart
// could be drawn; this one is ~1.4 MB. The dashboard serves it where dcc.Graph looks for plotly.js
// (dashboard/plotlyjs.py); exports (kaleido) keep the full plotly.js.
//
// Rebuild (needs Node and the npm registry): `make plotly-bundle`. Keep the plotly.js version equal to the one the
// installed plotly package ships (tests/unit/test_plotly_bundle.py checks it, and that every trace type the
// dashboard draws is in TRACES).
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

export const TRACES = ['scatter', 'bar', 'choropleth'];
const OUT = 'plotly-dashboard.min.js';
const version = JSON.parse(readFileSync('node_modules/plotly.js/package.json', 'utf8')).version;
const entry = [
    "var Plotly = require('plotly.js/lib/core');",
    `Plotly.register([${TRACES.filter((t) => t !== 'scatter').map((t) => `require('plotly.js/lib/${t}')`).join(', ')}]);`,
    'module.exports = Plotly;',
].join('\n');

await build({
    stdin: { contents: entry, resolveDir: '.', sourcefile: 'entry.js' },
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Plotly',
    target: 'es2016',
    // As in plotly.js's own esbuild-config.js.
    define: { global: 'window', 'define.amd': 'false' },
    // The only stylesheet imported is maplibre's, for map subplots this bundle has none of.
    loader: { '.css': 'empty' },
    legalComments: 'eof',
    banner: { js: `/*! plotly.js v${version} (MIT License, Copyright Plotly, Inc.): partial bundle, traces: ${TRACES.join(', ')} */` },
    outfile: OUT,
    logLevel: 'info',
});
console.log(`${OUT}: plotly.js ${version}, ${readFileSync(OUT).length} bytes`);
