import Testing
import SwitchyardCore

@Suite struct SSEParserTests {
    @Test func parsesIdEventDataAndRetry() {
        var parser = SSEParser()
        let messages = parser.feed("id: 7\nevent: update\nretry: 3000\ndata: hello\n\n")
        #expect(messages == [.event(SSEEvent(id: "7", event: "update", data: "hello", retry: 3000))])
        #expect(parser.lastEventID == "7")
    }

    @Test func joinsMultiLineDataWithNewlines() {
        var parser = SSEParser()
        #expect(parser.feed("data: one\ndata:two\ndata:  three\n\n") == [.event(SSEEvent(data: "one\ntwo\n three"))])
    }

    @Test func reportsCommentsAndIgnoresUnknownFields() {
        var parser = SSEParser()
        let messages = parser.feed(": ping\nfoo: bar\ndata: x\n\n:\n\n")
        #expect(messages == [.comment("ping"), .event(SSEEvent(data: "x")), .comment("")])
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func acceptsEveryLineEnd(lineEnd: String) {
        var parser = SSEParser()
        let text = "id: 1" + lineEnd + "data: a" + lineEnd + "data: b" + lineEnd + lineEnd
        #expect(parser.feed(text) == [.event(SSEEvent(id: "1", data: "a\nb"))])
    }

    @Test func handlesChunksSplitAnywhere() {
        let text = "id: s-1\r\ndata: {\"a\":1}\r\n\r\n: ping\r\n\r\nid: s-2\r\ndata: [DONE]\r\n\r\n"
        let bytes = Array(text.utf8)
        var whole = SSEParser()
        let expected = whole.feed(bytes)
        #expect(expected.count == 3)
        for size in 1...7 {
            var parser = SSEParser()
            var got: [SSEMessage] = []
            var index = 0
            while index < bytes.count {
                got += parser.feed(bytes[index..<min(index + size, bytes.count)])
                index += size
            }
            #expect(got == expected, "chunk size \(size)")
        }
    }

    @Test func noEventWithoutDataAndIdPersists() {
        var parser = SSEParser()
        #expect(parser.feed("id: 5\n\n").isEmpty)
        #expect(parser.feed("data: later\n\n") == [.event(SSEEvent(id: "5", data: "later"))])
    }

    @Test func badRetryIsIgnoredAndUnfinishedEventIsDropped() {
        var parser = SSEParser()
        #expect(parser.feed("retry: soon\ndata: x\n\n") == [.event(SSEEvent(data: "x"))])
        #expect(parser.feed("data: half").isEmpty)
        #expect(parser.finish().isEmpty)
    }

    @Test func fieldWithoutColonHasEmptyValue() {
        var parser = SSEParser()
        #expect(parser.feed("data\ndata\n\n") == [.event(SSEEvent(data: "\n"))])
    }

    @Test func skipsByteOrderMark() {
        var parser = SSEParser()
        #expect(parser.feed([0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8)) == [.event(SSEEvent(data: "x"))])
    }
}

@Suite struct SSEEncoderTests {
    @Test func writesFieldsAndOneDataLinePerLine() {
        let text = SSEEncoder.encode(SSEEvent(id: "s-1", event: "chunk", data: "a\nb", retry: 10))
        #expect(text == "id: s-1\nevent: chunk\nretry: 10\ndata: a\ndata: b\n\n")
    }

    @Test func writesComments() {
        // No blank line after a comment: it would end an (empty) event for decoders that keep the last id.
        #expect(SSEEncoder.comment("ping") == ": ping\n")
        #expect(SSEEncoder.encode(.comment("a\nb")) == ": a\n: b\n")
    }

    @Test(arguments: ["plain", "two\nlines", "", "trailing\n", "crlf\r\nline", "  spaced"])
    func roundTripsThroughTheParser(data: String) {
        var parser = SSEParser()
        let event = SSEEvent(id: "x-1", event: nil, data: data)
        let parsed = parser.feed(SSEEncoder.encode(event))
        #expect(parsed == [.event(SSEEvent(id: "x-1", data: data.replacingOccurrences(of: "\r\n", with: "\n")))])
    }

    @Test func idsCannotBreakTheFrame() {
        #expect(SSEEncoder.encode(SSEEvent(id: "a\nb", data: "x")) == "id: ab\ndata: x\n\n")
    }
}

import Foundation
