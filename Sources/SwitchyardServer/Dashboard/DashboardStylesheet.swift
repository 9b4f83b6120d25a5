/// `/ui/assets/dashboard.css`: the dashboard's one stylesheet, embedded in the binary (no build step, nothing fetched).
enum DashboardStylesheet {
    static let css = """
    *{box-sizing:border-box}
    body{font-family:system-ui,sans-serif;margin:0;color:#111827;background:#f9fafb}
    header{display:flex;gap:1.5em;align-items:center;padding:.6em 1.5em;background:#111827;color:#f9fafb}
    header nav a{color:#d1d5db;text-decoration:none;margin-right:1em}
    header nav a.active{color:#fff;border-bottom:2px solid #60a5fa}
    header form{margin-left:auto}
    main{padding:1em 1.5em;max-width:1240px}
    h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.4em}h3{font-size:1em}
    table{border-collapse:collapse;margin:.6em 0;background:#fff}
    th,td{border:1px solid #e5e7eb;padding:.3em .6em;text-align:left;vertical-align:top;font-size:.92em}
    th{background:#f3f4f6}
    .hint{color:#6b7280;font-size:.88em}.empty{color:#6b7280}.refused{color:#b91c1c;font-weight:bold}.warning{color:#b91c1c;font-weight:bold}.chart{overflow-x:auto}
    .badge{display:inline-block;padding:0 .4em;border-radius:.3em;font-size:.8em}
    .badge.live{background:#dcfce7;color:#166534}.badge.idle{background:#f3f4f6;color:#6b7280}
    td.slot.live{background:#f0fdf4}
    ul.instances{list-style:none;margin:.3em 0 0;padding:0}
    li.health::before{content:"●";margin-right:.3em}
    li.health.ready::before{color:#16a34a}li.health.not-ready::before{color:#dc2626}li.health.not-running::before{color:#d1d5db}
    li.health span{color:#6b7280;font-size:.9em}
    .phase.promoted,.outcome.promoted,.outcome.passed{color:#15803d;font-weight:bold}
    .phase.rolledBack,.phase.failed,.outcome.rolled-back,.outcome.failed,.outcome.error{color:#b91c1c;font-weight:bold}
    .gate.passed{color:#15803d}.gate.failed{color:#b91c1c}.gate.pending{color:#92400e}
    .gates{display:flex;flex-wrap:wrap;gap:1em}
    figure.gate{margin:0;padding:.5em;max-width:380px;background:#fff;border:1px solid #e5e7eb;border-radius:.4em}
    dl.facts{display:grid;grid-template-columns:10em auto;gap:.2em 1em}dl.facts dt{font-weight:bold}dl.facts dd{margin:0}
    .drill-chart svg{max-width:100%;height:auto;background:#fff}
    aside{margin-top:1.5em}
    form.login{display:flex;flex-direction:column;gap:.5em;max-width:28em}
    form.login input{padding:.4em;font:inherit}
    button{font:inherit;cursor:pointer}
    """
}
