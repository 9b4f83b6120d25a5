import Testing
@testable import SwitchyardGateway

@Suite struct LRUMapTests {
    @Test func dropsTheLeastRecentlyUsedFirst() {
        var map = LRUMap<String, Int>()
        map.set("a", 1)
        map.set("b", 2)
        map.set("c", 3)
        #expect(map.keysOldestFirst == ["a", "b", "c"])
        #expect(map.update("a") { $0 += 10 } != nil)
        #expect(map.keysOldestFirst == ["b", "c", "a"])
        #expect(map.peek("a") == 11)
        #expect(map.keysOldestFirst == ["b", "c", "a"], "peek is not a use")
        #expect(map.removeOldest()?.key == "b")
        map.set("c", 30)
        #expect(map.keysOldestFirst == ["a", "c"])
        #expect(map.remove("a") == 11)
        #expect(map.keysOldestFirst == ["c"])
        #expect(map.oldest?.value == 30)
        #expect(map.update("missing") { $0 += 1 } == nil)
    }

    @Test func reusesFreedSlotsAndKeepsOrderThroughChurn() {
        var map = LRUMap<Int, Int>()
        for index in 0..<1000 {
            map.set(index, index)
            if map.count > 10 { map.removeOldest() }
        }
        #expect(map.count == 10)
        #expect(map.keysOldestFirst == Array(990..<1000))
        map.remove(995)
        map.set(7, 7)
        #expect(map.keysOldestFirst == [990, 991, 992, 993, 994, 996, 997, 998, 999, 7])
    }
}
