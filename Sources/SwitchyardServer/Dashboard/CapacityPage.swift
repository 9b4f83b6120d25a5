import SwitchyardCore

/// `/ui/capacity`: the capacity plans the daemon has loaded. The daemon does not run forecasts and keeps no forecast
/// results (`yard forecast` computes them where it runs and writes the table, JSON and chart there), so this page
/// lists the plans and says how to get their figures; it shows no chart it does not have.
enum CapacityPage {
    static func body(_ plans: [CapacityPlan]) -> String {
        let escape = DashboardHTML.escape
        var html = "<p class=\"hint\">yardd stores no forecast results: <code>yard forecast playbooks/PLAN.yaml --html report.html</code> computes a plan's peak, "
        html += "interval and replicas per zone, with its chart, where it runs.</p>"
        guard !plans.isEmpty else { return html + "<p class=\"empty\">No capacity plan is loaded.</p>" }
        html += "<table class=\"plans\"><tr><th>plan</th><th>topology</th><th>service</th><th>target event</th><th>headroom</th><th>survives a zone loss</th></tr>"
        for plan in plans {
            html += "<tr data-plan=\"\(escape(plan.name))\"><td>\(escape(plan.name))</td><td>\(escape(plan.topology))</td><td>\(escape(plan.service))</td>"
            html += "<td>\(escape("\(plan.target.name) \(plan.target.start) to \(plan.target.end)"))</td><td>\(escape(plan.headroom.description))</td><td>\(plan.surviveZoneLoss ? "yes" : "no")</td></tr>"
        }
        return html + "</table>"
    }
}
