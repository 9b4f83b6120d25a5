/// `/ui/assets/live.js`: the dashboard's one script, embedded in the binary. It keeps the page's live region
/// (`#live`) current without a reload:
/// - it follows each release event stream the region names (`data-events` on the region, or on a running release's
///   row) with `EventSource`, which sends the session cookie; a journal entry or the end of a release re-renders the
///   region from `data-refresh` (debounced), and the stream is closed at its end;
/// - it re-renders every `data-poll` milliseconds when set (health, new releases, drills);
/// - it records, per release, each phase the page has shown (`#phase-log`, `data-phases`), so a person who kept the
///   page open sees what happened while they watched.
enum DashboardScript {
    static let js = """
    (function () {
      "use strict";
      var region = document.getElementById("live");
      if (!region) return;
      var status = document.getElementById("live-status");
      var streams = {}, seen = {}, pending = null, busy = false;

      function say(text) { if (status) status.textContent = text; }

      function record() {
        var shown = region.querySelectorAll("[data-release][data-phase]");
        for (var i = 0; i < shown.length; i++) {
          var id = shown[i].getAttribute("data-release"), phase = shown[i].getAttribute("data-phase");
          var list = seen[id] || (seen[id] = []);
          if (list[list.length - 1] !== phase) list.push(phase);
        }
        var log = document.getElementById("phase-log");
        if (!log) return;
        log.textContent = "";
        Object.keys(seen).forEach(function (id) {
          var item = document.createElement("li");
          item.setAttribute("data-release", id);
          item.setAttribute("data-phases", seen[id].join(" "));
          item.textContent = id + ": " + seen[id].join(" \\u2192 ");
          log.appendChild(item);
        });
      }

      function follow() {
        var urls = [];
        if (region.getAttribute("data-events")) urls.push(region.getAttribute("data-events"));
        var rows = region.querySelectorAll("[data-running='true'][data-events]");
        for (var i = 0; i < rows.length; i++) urls.push(rows[i].getAttribute("data-events"));
        urls.forEach(function (url) {
          if (streams[url]) return;
          var source = new EventSource(url, { withCredentials: true });
          streams[url] = source;
          source.addEventListener("journal", refreshSoon);
          source.addEventListener("end", function () { source.close(); refreshSoon(); });
          source.onerror = function () { if (source.readyState !== 2) say("event stream interrupted; reconnecting\\u2026"); };
        });
      }

      function refreshSoon() {
        if (pending) return;
        pending = setTimeout(function () { pending = null; refresh(); }, 150);
      }

      function refresh() {
        if (busy) { refreshSoon(); return; }
        busy = true;
        fetch(region.getAttribute("data-refresh"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
          .then(function (response) {
            if (response.status === 401) throw new Error("the session has ended: log in again");
            if (!response.ok) throw new Error("the daemon answered " + response.status);
            return response.text();
          })
          .then(function (html) {
            region.innerHTML = html;
            record();
            follow();
            say("updated " + new Date().toISOString().replace("T", " ").slice(0, 19) + "Z");
          })
          .catch(function (error) { say(String(error.message || error)); })
          .then(function () { busy = false; });
      }

      record();
      follow();
      var poll = parseInt(region.getAttribute("data-poll") || "0", 10);
      if (poll > 0) setInterval(refresh, poll);
    })();
    """
}
