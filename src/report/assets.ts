/**
 * The site's only style and script, inlined in every page (allowed by hash in
 * the page's Content-Security-Policy), so a page works from file:// or any
 * static host and never asks another origin for anything.
 */

export const STYLE = `
:root{--yes:#1a7f37;--no:#cf222e;--unknown:#9a6700;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;gap:16px;align-items:baseline;padding:10px 20px;border-bottom:1px solid var(--line);background:var(--soft);flex-wrap:wrap}
header .brand{font-weight:700}
header nav a{margin-right:14px}
main{padding:16px 20px}
a{color:#0969da;text-decoration:none}
a:hover{text-decoration:underline}
h1{font-size:22px;margin:4px 0 12px}
h2{font-size:17px;margin:22px 0 8px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.muted{color:var(--muted)}
.counts{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0 14px}
.counts div{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px}
.counts b{display:block;font-size:20px}
.verdict{font-weight:600;border-radius:10px;padding:0 8px;color:#fff;white-space:nowrap}
.verdict-yes,.verdict-passed{background:var(--yes)}
.verdict-no,.verdict-failed{background:var(--no)}
.verdict-unknown,.verdict-missing,.verdict-no-spec,.verdict-not-checked{background:var(--unknown)}
.tools{display:flex;gap:10px;align-items:center;margin:8px 0;flex-wrap:wrap}
.tools input[type=search]{padding:5px 8px;min-width:260px;border:1px solid var(--line);border-radius:6px}
.graph-box{overflow:auto;max-height:78vh;border:1px solid var(--line);border-radius:6px;background:#fff}
svg.graph text{font:11px ui-monospace,SFMono-Regular,Menlo,monospace;fill:var(--fg)}
svg.graph .node rect{fill:var(--soft);stroke:#8c959f;rx:4}
svg.graph .node:hover rect,svg.graph .node.focus rect{stroke:#0969da;stroke-width:2}
svg.graph .edge{fill:none;stroke-width:1.3;opacity:.75}
svg.graph .edge-yes{stroke:var(--yes)}
svg.graph .edge-no{stroke:var(--no);stroke-width:2}
svg.graph .edge-unknown{stroke:var(--unknown);stroke-dasharray:4 3}
svg.graph .dim{opacity:.08}
svg.graph .edge.focus{opacity:1;stroke-width:2.5}
.legend span{margin-right:12px}
.hidden{display:none}
details summary{cursor:pointer;color:#0969da}
.failure td{background:#fff8f8}
pre{white-space:pre-wrap;word-break:break-word;margin:0}
`;

export const SCRIPT = `
(function(){
  function norm(s){return (s||'').toLowerCase();}
  function apply(){
    document.querySelectorAll('[data-filter-target]').forEach(function(scope){
      var id=scope.id;
      var text=document.querySelector('input[data-filter="'+id+'"]');
      var verdict=document.querySelector('select[data-verdict-filter="'+id+'"]');
      var q=norm(text&&text.value);var v=verdict?verdict.value:'';
      var items=scope.querySelectorAll('[data-search]');
      var matched={};
      items.forEach(function(el){
        var ok=(!q||norm(el.getAttribute('data-search')).indexOf(q)>=0)&&(!v||!el.hasAttribute('data-verdict')||el.getAttribute('data-verdict')===v);
        if(scope.tagName.toLowerCase()==='svg'){el.classList.toggle('dim',!ok);}
        else{el.classList.toggle('hidden',!ok);}
        if(ok&&el.hasAttribute('data-service'))matched[el.getAttribute('data-service')]=true;
      });
      if(scope.tagName.toLowerCase()==='svg'&&q){
        scope.querySelectorAll('.edge').forEach(function(e){
          var ok=(matched[e.getAttribute('data-from')]||matched[e.getAttribute('data-to')])&&(!v||e.getAttribute('data-verdict')===v);
          e.classList.toggle('dim',!ok);
        });
      }
    });
  }
  document.querySelectorAll('input[data-filter],select[data-verdict-filter]').forEach(function(el){
    el.addEventListener('input',apply);el.addEventListener('change',apply);
  });
  document.querySelectorAll('svg.graph .node').forEach(function(node){
    var name=node.getAttribute('data-service');
    function focus(on){
      node.classList.toggle('focus',on);
      document.querySelectorAll('svg.graph .edge[data-from="'+name+'"],svg.graph .edge[data-to="'+name+'"]').forEach(function(e){e.classList.toggle('focus',on);});
    }
    node.addEventListener('mouseenter',function(){focus(true);});
    node.addEventListener('mouseleave',function(){focus(false);});
  });
  apply();
})();
`;
