/** The widget's CSS, scoped by the `sdc-` prefix; full screen on narrow (mobile) screens. */
export const CSS = `
.sdc-root{position:fixed;right:20px;bottom:20px;z-index:2147483000;font:15px/1.45 system-ui,-apple-system,"Apple SD Gothic Neo","Malgun Gothic","NanumGothic",sans-serif;color:#1b1b1f}
.sdc-launcher{position:relative;width:56px;height:56px;border-radius:50%;border:0;background:#2f5bea;color:#fff;font-size:26px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.sdc-launcher:focus-visible,.sdc-root button:focus-visible,.sdc-root textarea:focus-visible,.sdc-root input:focus-visible,.sdc-root select:focus-visible{outline:3px solid #ffb300;outline-offset:2px}
.sdc-badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#d93025;color:#fff;font-size:13px;line-height:22px;font-weight:700}
.sdc-panel{position:absolute;right:0;bottom:70px;width:360px;height:540px;max-height:calc(100vh - 100px);display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}
.sdc-root [hidden]{display:none!important}
.sdc-launcher svg,.sdc-file svg{width:26px;height:26px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.sdc-file svg{width:20px;height:20px}
.sdc-head{display:flex;align-items:center;justify-content:space-between;padding:12px 14px;background:#2f5bea;color:#fff}
.sdc-head h2{margin:0;font-size:16px}
.sdc-x{border:0;background:transparent;color:#fff;font-size:22px;cursor:pointer;width:36px;height:36px}
.sdc-status{margin:0;padding:8px 14px;font-size:13px;background:#f1f4ff;color:#253a8a}
.sdc-log{flex:1;overflow-y:auto;padding:12px 14px;display:flex;flex-direction:column;gap:8px}
.sdc-msg{max-width:80%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-break:break-word}
.sdc-in{align-self:flex-end;background:#2f5bea;color:#fff}
.sdc-out{align-self:flex-start;background:#eef0f4}
.sdc-meta{display:block;font-size:11px;opacity:.75;margin-top:3px}
.sdc-note{align-self:center;font-size:12px;color:#5f6368}
.sdc-typing{margin:0;min-height:18px;padding:0 14px;font-size:12px;color:#5f6368}
.sdc-form{display:flex;gap:6px;padding:10px;border-top:1px solid #e3e5ea;align-items:flex-end;flex-wrap:wrap}
.sdc-form textarea{flex:1;min-height:40px;max-height:120px;resize:none;padding:8px;border:1px solid #c6c9d2;border-radius:8px;font:inherit}
.sdc-form input,.sdc-form select{flex:1 1 100%;padding:8px;border:1px solid #c6c9d2;border-radius:8px;font:inherit}
.sdc-form label{flex:1 1 100%;font-size:13px}
.sdc-btn{padding:9px 14px;border:0;border-radius:8px;background:#2f5bea;color:#fff;font:inherit;cursor:pointer}
.sdc-file{position:relative;width:40px;height:40px;display:flex;align-items:center;justify-content:center;border:1px solid #c6c9d2;border-radius:8px;cursor:pointer;flex:0 0 auto!important}
.sdc-file input{position:absolute;inset:0;opacity:0;cursor:pointer}
.sdc-file:focus-within{outline:3px solid #ffb300}
.sdc-sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.sdc-quick{display:flex;flex-wrap:wrap;gap:6px}
.sdc-quick button{padding:6px 10px;border:1px solid #2f5bea;border-radius:16px;background:#fff;color:#2f5bea;cursor:pointer;font:inherit;font-size:13px}
@media (max-width:480px){.sdc-root{right:12px;bottom:12px}.sdc-panel{position:fixed;inset:0;width:auto;height:auto;max-height:none;border-radius:0}}
`;
