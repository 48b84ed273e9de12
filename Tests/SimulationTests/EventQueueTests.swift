import Testing
@testable import Simulation

@Suite struct EventQueueTests {
  @Test("events pop in time order whatever order they were scheduled in; the clock lands on each event's time and peekNextTime names the next")
  func timeOrder() {
    var queue = EventQueue<String>()
    for (name, time) in [("e", 50.0), ("a", 0.5), ("d", 40), ("b", 7), ("c", 7.25)] {
      queue.schedule(name, at: time)
    }
    var popped: [String] = []
    var clock: [SimTime] = []
    var peeked: [SimTime?] = [queue.peekNextTime()]
    while let (time, name) = queue.popNext() {
      popped.append(name)
      clock.append(queue.now)
      peeked.append(queue.peekNextTime())
      #expect(time == queue.now)
    }
    #expect(popped == ["a", "b", "c", "d", "e"])
    #expect(clock == [0.5, 7, 7.25, 40, 50])
    #expect(peeked == [0.5, 7, 7.25, 40, 50, nil])
  }

  @Test("ties pop in insertion order and the clock lands on their time",
        arguments: [0.0, 1e-9, 3_600])
  func tiesAreFIFO(delaySeconds: SimTime) {
    var queue = EventQueue<String>()
    queue.schedule("a", after: delaySeconds)
    queue.schedule("later", after: delaySeconds + 1)
    queue.schedule("b", after: delaySeconds)
    queue.schedule("c", at: delaySeconds)
    #expect(queue.count == 4)
    #expect(queue.drain() == ["a", "b", "c", "later"])
    #expect(queue.now == delaySeconds + 1)
  }

  @Test("ties among events scheduled at the current time during a run stay FIFO after earlier pops")
  func tiesAfterPops() {
    var queue = EventQueue<Int>()
    queue.schedule(0, at: 10)
    _ = queue.popNext()
    for payload in 1...5 { queue.schedule(payload, after: 0) }
    #expect(queue.drain() == [1, 2, 3, 4, 5])
    #expect(queue.now == 10)
  }

  @Test("an empty queue pops nil, peeks nil and keeps its clock")
  func emptyQueue() {
    var queue = EventQueue<Int>(reservingCapacity: 16)
    #expect(queue.isEmpty && queue.count == 0)
    #expect(queue.drain() == [])
    #expect(queue.peekNextTime() == nil)
    #expect(queue.now == 0)
    queue.schedule(1, at: 5)
    #expect(queue.drain() == [1])
    #expect(queue.drain() == [])
    #expect(queue.now == 5)
  }

  @Test("schedule(after:) counts from now, the time of the last popped event")
  func relativeScheduling() {
    var queue = EventQueue<String>()
    queue.schedule("first", after: .minutes(2))
    _ = queue.popNext()
    let handle = queue.schedule("second", after: 30)
    #expect(handle.time == 150)
    #expect(queue.peekNextTime() == 150)
  }

  @Test("cancelling a pending event returns true, lowers count, and the event never pops")
  func cancelPending() {
    var queue = EventQueue<String>()
    queue.schedule("a", at: 1)
    let b = queue.schedule("b", at: 2)
    queue.schedule("c", at: 3)
    let wasPending = queue.cancel(b)
    #expect(wasPending)
    #expect(queue.count == 2)
    #expect(!queue.isEmpty)
    #expect(queue.drain() == ["a", "c"])
    #expect(queue.isEmpty)
  }

  @Test("cancelling twice, or after the event popped, returns false and changes nothing")
  func cancelTwiceOrAfterPop() {
    var queue = EventQueue<String>()
    let a = queue.schedule("a", at: 1)
    let b = queue.schedule("b", at: 1)
    queue.schedule("c", at: 2)
    let first = queue.cancel(b)
    let second = queue.cancel(b)
    #expect(first && !second)
    #expect(queue.count == 2)
    let popped = queue.popNext()?.payload
    #expect(popped == "a")
    let afterPop = queue.cancel(a)
    let cancelledAfterPop = queue.cancel(b)
    #expect(!afterPop && !cancelledAfterPop)
    #expect(queue.count == 1)
    #expect(queue.drain() == ["c"])
  }

  @Test("cancelling the next event makes peekNextTime report the one after it")
  func cancelHead() {
    var queue = EventQueue<String>()
    let a = queue.schedule("a", at: 1)
    let b = queue.schedule("b", at: 1)
    queue.schedule("c", at: 4)
    let cancelledA = queue.cancel(a)
    #expect(cancelledA && queue.peekNextTime() == 1)
    let cancelledB = queue.cancel(b)
    #expect(cancelledB && queue.peekNextTime() == 4)
    #expect(queue.count == 1)
    #expect(queue.drain() == ["c"])
  }

  @Test("a cancelled event discarded ahead of the clock stays cancelled when earlier events are scheduled")
  func cancelledAheadOfClock() {
    var queue = EventQueue<String>()
    let far = queue.schedule("far", at: 100)
    let wasPending = queue.cancel(far)  // it was the next event, so it leaves the heap at once
    #expect(wasPending && queue.isEmpty)
    queue.schedule("near", at: 50)
    let beforePop = queue.cancel(far)
    #expect(!beforePop && queue.count == 1)
    let near = queue.popNext()?.payload
    #expect(near == "near")
    let afterPop = queue.cancel(far)
    queue.schedule("after", at: 150)
    let afterSchedule = queue.cancel(far)
    #expect(!afterPop && !afterSchedule)
    #expect(queue.drain() == ["after"])
  }

  @Test("cancelling the last pending event leaves an empty queue")
  func cancelOnlyEvent() {
    var queue = EventQueue<Int>()
    let only = queue.schedule(1, at: 3)
    let wasPending = queue.cancel(only)
    #expect(wasPending)
    #expect(queue.isEmpty && queue.peekNextTime() == nil)
    #expect(queue.drain() == [])
    #expect(queue.now == 0)
  }

  @Test("a handle this queue never issued cancels nothing")
  func foreignHandle() {
    var queue = EventQueue<Int>()
    queue.schedule(1, at: 3)
    let cancelled = queue.cancel(EventHandle(sequence: 7, time: 3))
    #expect(!cancelled)
    #expect(queue.count == 1)
  }

  @Test("records of cancelled events are swept out once the clock has passed them")
  func sweepKeepsTableSmall() {
    var queue = EventQueue<Int>()
    var handles: [EventHandle] = []
    for index in 0..<1_000 { handles.append(queue.schedule(index, at: Double(index))) }
    var answers: [Bool] = []
    for handle in handles.reversed() { answers.append(queue.cancel(handle)) }  // the last one empties the heap
    #expect(answers.allSatisfy { $0 })
    #expect(queue.isEmpty)
    queue.schedule(-1, at: 2_000)
    _ = queue.popNext()  // the clock passes every cancelled event
    for index in 0..<200 {
      let handle = queue.schedule(index, at: 3_000 + Double(index))
      answers.append(queue.cancel(handle))
    }
    #expect(answers.allSatisfy { $0 })
    #expect(queue.cancelled.count < 400)  // not 1,200: the passed ones were swept
    var again: [Bool] = []
    for handle in handles { again.append(queue.cancel(handle)) }
    #expect(again.allSatisfy { !$0 })
  }

  @Test("the time helpers convert minutes, hours and days to seconds")
  func timeHelpers() {
    #expect(SimTime.minutes(5) == 300)
    #expect(SimTime.hours(1.5) == 5_400)
    #expect(SimTime.days(2) == 172_800)
  }
}

extension EventQueue {
  /// Pops every pending event and returns the payloads in pop order.
  mutating func drain() -> [Payload] {
    var payloads: [Payload] = []
    while let (_, payload) = popNext() { payloads.append(payload) }
    return payloads
  }
}
