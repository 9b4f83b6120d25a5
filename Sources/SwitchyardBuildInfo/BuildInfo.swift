/// What this build of Switchyard is: the release number written here, and the git commit the BuildCommit plugin
/// read from the checkout when it was built (`git describe --always`, "unknown" without git; see the plugin).
///
/// The number is bumped by hand at a release; the commit is never typed by anyone.
public enum BuildInfo {
    public static let version = "0.9.0"
    public static let commit = buildCommit

    /// `yard 0.9.0 (commit 1a2b3c4d5e6f)`: what `--version` prints.
    public static func line(_ executable: String) -> String { "\(executable) \(version) (commit \(commit))" }
}
