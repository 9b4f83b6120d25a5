import Testing
@testable import SwitchyardCore

struct ValueParsingTests {
    @Test(arguments: [("150ms", 150), ("30s", 30_000), ("10m", 600_000), ("1h", 3_600_000), ("1h30m", 5_400_000), ("1.5s", 1500), ("2d", 172_800_000)])
    func durations(text: String, milliseconds: Int64) {
        #expect(TimeSpan(parsing: text)?.milliseconds == milliseconds)
    }

    @Test(arguments: ["10", "", "ms", "5 minutes", "-1s", "1h-", "1y"])
    func notDurations(text: String) {
        #expect(TimeSpan(parsing: text) == nil)
    }

    @Test func durationsPrintShortest() {
        #expect(TimeSpan.ms(150).description == "150ms")
        #expect(TimeSpan.minutes(90).description == "1h30m")
        #expect(TimeSpan.ms(1500).description == "1s500ms")
        #expect(TimeSpan(parsing: TimeSpan.ms(1500).description) == .ms(1500))
    }

    @Test func ratios() {
        #expect(Ratio(parsing: "5%")?.value == 0.05)
        #expect(Ratio(parsing: "0.05")?.value == 0.05)
        #expect(abs((Ratio(parsing: "99.9 %")?.value ?? 0) - 0.999) < 1e-12)
        #expect(Ratio(parsing: "five") == nil)
        #expect(Ratio(0.05).description == "5%")
    }

    @Test func addresses() {
        #expect(HostPort(parsing: "127.0.0.1:8080") == HostPort(host: "127.0.0.1", port: 8080))
        #expect(HostPort(parsing: "[::1]:80") == HostPort(host: "::1", port: 80))
        #expect(HostPort(parsing: "localhost") == nil)
        #expect(HostPort(parsing: "h:70000") == nil)
    }

    @Test func suggestions() {
        #expect(Suggestion.closest(to: "loadBalancr", in: ["loadBalancer", "zones"]) == "loadBalancer")
        #expect(Suggestion.closest(to: "xyz", in: ["loadBalancer", "zones"]) == nil)
    }

    @Test func commandTemplates() {
        #expect(CommandTemplate.words("a 'b c' \"d {port}\" e\\ f") == ["a", "b c", "d {port}", "e f"])
        #expect(CommandTemplate.placeholders(in: "x --port {port} --v {version}") == ["port", "version"])
    }
}
