import Testing
@testable import SwitchyardCore

/// Versions reach argv, headers, nginx configuration and file names: only a small alphabet gets through.
struct ReleaseVersionTests {
    @Test(arguments: ["1.4.2", "2.0.0-rc.1", "1.0+build.7", "v2_beta", "a", String(repeating: "9", count: 64)])
    func allowed(version: String) { #expect(ReleaseVersion.isValid(version)) }

    @Test(arguments: ["", " 1.0", "1.0;rm", "1.0 --port 1", "$(id)", "a/b", "../x", "1\n2", "\"q\"", "é", String(repeating: "9", count: 65)])
    func refused(version: String) { #expect(!ReleaseVersion.isValid(version)) }
}
