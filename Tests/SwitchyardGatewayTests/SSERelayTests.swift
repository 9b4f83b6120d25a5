import Testing
@testable import SwitchyardGateway

@Suite struct SSERelayTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func passesWholeLinesOnAndHoldsAPartialOne() {
        var relay = SSERelay()
        #expect(Self.text(relay.feed(Array("data: {\"a\":1}\n\ndata: {\"b".utf8))) == "data: {\"a\":1}\n\n")
        #expect(!relay.insideEvent)
        #expect(Self.text(relay.feed(Array("\":2}\n".utf8))) == "data: {\"b\":2}\n")
        #expect(relay.insideEvent)
        #expect(Self.text(relay.feed(Array("\n: ping\n".utf8))) == "\n: ping\n")
        #expect(!relay.insideEvent, "a comment does not open an event")
        #expect(Self.text(relay.finish()) == "")
    }

    @Test func aFailureDropsThePartialLineAndClosesAnOpenEvent() {
        var relay = SSERelay()
        _ = relay.feed(Array("id: 1\ndata: {\"a\":1}\ndata: {\"tru".utf8))
        #expect(relay.insideEvent)
        #expect(Self.text(relay.failure(frame: "event: error\ndata: {}\n\n")) == "\nevent: error\ndata: {}\n\n")

        var clean = SSERelay()
        _ = clean.feed(Array("data: x\r\n\r\n".utf8))
        #expect(!clean.insideEvent, "CRLF line ends count as one")
        #expect(Self.text(clean.failure(frame: "E")) == "E")
    }
}
