import Foundation
import Testing
@testable import SwitchyardCore

/// Random damage to valid manifests never crashes or hangs the loader: every mutation either
/// loads or comes back with located errors.
struct ManifestFuzzTests {
    @Test func tenThousandMutationsLoadOrFailWithLocatedErrors() throws {
        let originals = try Fixtures.examples().map { try Fixtures.exampleBytes($0) }
        var random = SplitMix64(seed: 20261125)
        var loaded = 0, rejected = 0
        for round in 0..<10_000 {
            let original = originals[round % originals.count]
            let mutated = Mutation.apply(Int(random.next() % 7), to: original, random: &random)
            let file = "mutant-\(round).yaml"
            let result = ManifestDecoder.decode(bytes: mutated, file: file)
            if result.diagnostics.isEmpty {
                #expect(!result.manifests.isEmpty, "mutation \(round) neither loaded nor failed")
                loaded += 1
            } else {
                rejected += 1
                for diagnostic in result.diagnostics {
                    #expect(diagnostic.location.file == file)
                    #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1)
                    #expect(!diagnostic.message.isEmpty)
                }
            }
        }
        // Both outcomes happen: the mutations are neither all harmless nor all fatal.
        #expect(loaded > 100)
        #expect(rejected > 1000)
    }

    @Test func hugeFileIsRefusedWithoutParsing() {
        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 50 << 20)
        let result = ManifestDecoder.decode(bytes: huge, file: "huge.yaml")
        #expect(result.diagnostics.map(\.description) == ["huge.yaml:1:1: file is 52428800 bytes; a manifest may be at most 1048576 bytes (1 MiB)"])
    }

    @Test func binaryAndInvalidUTF8AreRefused() {
        let binary = ManifestDecoder.decode(bytes: Array("kind: Topology\nname: x\u{0}y".utf8), file: "b.yaml")
        #expect(binary.diagnostics.map(\.description) == ["b.yaml:2:8: file holds binary data (a NUL byte), not YAML text"])
        let latin1 = ManifestDecoder.decode(bytes: Array("name: caf".utf8) + [0xE9, 0x0A], file: "l.yaml")
        #expect(latin1.diagnostics.map(\.description) == ["l.yaml:1:10: file is not UTF-8 text (invalid byte 0xe9)"])
    }

    @Test func aliasBombIsRefused() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { text += "\(Character(UnicodeScalar(97 + level)!)): &\(Character(UnicodeScalar(97 + level)!)) [" + Array(repeating: "*\(Character(UnicodeScalar(96 + level)!))", count: 10).joined(separator: ", ") + "]\n" }
        let result = ManifestDecoder.decode(text: text, file: "bomb.yaml")
        #expect(result.manifests.isEmpty)
        #expect(result.diagnostics.count == 1)
    }

    @Test func deepNestingIsRefused() {
        let text = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let result = ManifestDecoder.decode(text: text, file: "deep.yaml")
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message.contains("nested") == true)
    }
}

/// Ways to damage a manifest.
enum Mutation {
    static let replacements = ["[1, 2]", "{a: b}", "\"text\"", "12", "-3", "", "~", "yes", "1h", "5%", "[", "}", ": :", "&x", "*y", "\t"]

    static func apply(_ kind: Int, to bytes: [UInt8], random: inout SplitMix64) -> [UInt8] {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func pick(_ count: Int) -> Int { Int(random.next() % UInt64(max(count, 1))) }
        switch kind {
        case 0:  // delete a line
            lines.remove(at: pick(lines.count))
        case 1:  // swap a value's type
            let index = pick(lines.count)
            if let colon = lines[index].firstIndex(of: ":") {
                lines[index] = String(lines[index][...colon]) + " " + replacements[pick(replacements.count)]
            }
        case 2:  // truncate
            return Array(bytes.prefix(pick(bytes.count)))
        case 3:  // random bytes somewhere
            var copy = bytes
            for _ in 0..<(1 + pick(8)) { copy.insert(UInt8(truncatingIfNeeded: random.next()), at: pick(copy.count)) }
            return copy
        case 4:  // duplicate a line
            let index = pick(lines.count)
            lines.insert(lines[index], at: index)
        case 5:  // shift indentation
            let index = pick(lines.count)
            lines[index] = (random.next() % 2 == 0 ? "  " : "") + String(lines[index].drop { $0 == " " && random.next() % 2 == 0 })
        default:  // swap two lines
            let a = pick(lines.count), b = pick(lines.count)
            lines.swapAt(a, b)
        }
        return Array(lines.joined(separator: "\n").utf8)
    }
}
