import SwitchyardCore
/// The deterministic stand-in for a language model: the same prompt always gives the same words,
/// so a resumed stream can be checked against a fresh one and tests can predict the text.
public enum LocalModel {
    static let words = [
        "switch", "yard", "stream", "token", "blue", "green", "zone", "drain", "gate", "bake",
        "route", "event", "ready", "probe", "slot", "fleet", "shift", "signal", "reply", "light",
    ]

    /// A seed from the prompt (FNV-1a over the last message's text).
    public static func seed(for prompt: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in prompt.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Token `index` (0-based) of the answer for `seed`: a word and a space.
    public static func token(seed: UInt64, index: Int) -> String {
        var random = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
        let word = words[Int(random.next() % UInt64(words.count))]
        return word + " "
    }

    public static func answer(seed: UInt64, tokens: Int) -> String {
        (0..<tokens).map { token(seed: seed, index: $0) }.joined()
    }
}
