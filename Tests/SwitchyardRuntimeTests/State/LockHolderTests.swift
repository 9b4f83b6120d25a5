import Foundation
import Testing
@testable import SwitchyardRuntime

/// A lock holder is judged dead only when that is certain: same host, same boot, same PID namespace, and its PID gone
/// or reused by a process that started at another time.
struct LockHolderTests {
    static var me: LockHolder { LockHolder("run-1") }

    static func holder(pid: Int32, startTicks: UInt64? = nil, bootID: String? = ProcessIdentity.bootID,
                       pidNamespace: String? = ProcessIdentity.pidNamespace) -> LockHolder {
        LockHolder("run-1", host: ProcessInfo.processInfo.hostName, pid: pid, startTicks: startTicks, bootID: bootID, pidNamespace: pidNamespace)
    }

    /// A PID that belonged to a process now gone (a child, started and reaped).
    static func deadPID() throws -> (Int32, UInt64?) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "sleep 0.2"]
        try process.run()
        let pid = process.processIdentifier
        let ticks = ProcessTable.startTime(of: pid)
        process.waitUntilExit()
        return (pid, ticks)
    }

    @Test func theIdentityRoundTripsThroughItsText() throws {
        let me = Self.me
        #expect(me.startTicks != nil && me.bootID != nil && me.pidNamespace != nil)
        #expect(LockHolder(parsing: me.text) == me)
        #expect(me.mayBeAlive)
    }

    @Test func aGoneProcessOnThisHostIsDead() throws {
        let (pid, ticks) = try Self.deadPID()
        #expect(!Self.holder(pid: pid, startTicks: ticks ?? 1).mayBeAlive)
    }

    @Test func aReusedPIDIsNotTheHolder() {
        let me = Self.me
        #expect(!Self.holder(pid: me.pid, startTicks: me.startTicks! + 1).mayBeAlive, "alive PID, other start time: the holder is gone")
    }

    @Test func anotherPIDNamespaceOrBootOrAnOldIdentityMayBeAlive() throws {
        let (pid, ticks) = try Self.deadPID()
        #expect(Self.holder(pid: pid, startTicks: ticks ?? 1, pidNamespace: "4026532999").mayBeAlive)
        #expect(Self.holder(pid: pid, startTicks: ticks ?? 1, bootID: "00000000-0000-0000-0000-000000000000").mayBeAlive)
        #expect(LockHolder(parsing: "run-1@\(ProcessInfo.processInfo.hostName)#\(pid)")!.mayBeAlive, "an identity without start time and namespace")
    }

    /// A process in a PID namespace of its own (as in a container with this host's name) writes its holder; from here its
    /// PID means nothing, so it is never judged dead by it.
    @Test func aHolderInAnotherPIDNamespaceIsNeverJudgedDeadFromHere() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--pid", "--fork", "--mount-proc", "sh", "-c",
                             "echo $$ $(readlink /proc/self/ns/pid) $(cut -d' ' -f22 /proc/self/stat) $(cat /proc/sys/kernel/random/boot_id)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "unshare --pid needs root")
        let words = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").map(String.init)
        try #require(words.count == 4, "\(words)")
        let namespace = words[1].drop(while: { $0 != "[" }).dropFirst().prefix(while: { $0 != "]" })
        let holder = LockHolder("run-1", host: ProcessInfo.processInfo.hostName, pid: Int32(words[0])!, startTicks: UInt64(words[2]),
                                bootID: words[3].trimmingCharacters(in: .whitespacesAndNewlines), pidNamespace: String(namespace))
        #expect(holder.pidNamespace != ProcessIdentity.pidNamespace)
        #expect(holder.mayBeAlive, "PID \(holder.pid) of another namespace says nothing here")
    }
}
