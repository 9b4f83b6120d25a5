import Testing
@testable import SwitchyardGateway

/// The local model's answer shaped by `n`, `stop` and `include_usage`.
@Suite struct StreamPlanTests {
    static func plan(tokens: Int = 12, n: Int = 1, stop: [String] = [], usage: Bool = false) -> StreamPlan {
        StreamPlan(
            streamID: "abc", model: "m", created: 0, tokens: tokens, tokenDelay: .zero, seed: LocalModel.seed(for: "p"),
            fingerprint: "f", n: n, stop: stop, includeUsage: usage, promptTokens: 1
        )
    }

    @Test func oneChoiceIsTheAnswerItAlwaysWas() {
        let plan = Self.plan()
        #expect(plan.answer(choice: 0) == LocalModel.answer(seed: LocalModel.seed(for: "p"), tokens: 12))
        #expect(plan.lastSequence == 14)
    }

    @Test func aStopSequenceEndsTheAnswerJustBeforeIt() {
        let full = Self.plan().answer(choice: 0)
        let word = String(full.split(separator: " ")[5])
        let cut = full.range(of: word)!.lowerBound
        #expect(Self.plan(stop: [word]).answer(choice: 0) == String(full[..<cut]))
        // A stop spanning two tokens, and one inside a token.
        let words = full.split(separator: " ")
        let spanning = "\(words[2].suffix(2)) \(words[3].prefix(2))"
        let spanCut = full.range(of: spanning)!.lowerBound
        #expect(Self.plan(stop: ["never-there", spanning]).answer(choice: 0) == String(full[..<spanCut]))
        let inside = String(words[0].dropFirst(1).prefix(2))
        #expect(Self.plan(stop: [inside]).answer(choice: 0) == String(full[..<full.range(of: inside)!.lowerBound]))
        #expect(Self.plan(stop: ["zzz"]).answer(choice: 0) == full)
        #expect(Self.plan(stop: [String(words[0].prefix(1))]).tokens == 0)
    }

    @Test func nChoicesDifferAndUsageCountsThemAll() {
        let plan = Self.plan(tokens: 3, n: 3, usage: true)
        #expect(plan.choices.count == 3)
        #expect(Set((0..<3).map { plan.answer(choice: $0) }).count > 1)
        #expect(plan.usage.completionTokens == 9)
        // role, 3 tokens, finish, usage, [DONE]
        #expect(plan.lastSequence == 6)
        #expect(plan.event(5).data.contains(#""choices":[]"#))
        #expect(plan.event(5).data.contains(#""completion_tokens":9"#))
        #expect(plan.event(1).data.contains(#""usage":null"#))
        #expect(!Self.plan().event(1).data.contains("usage"))
    }
}
