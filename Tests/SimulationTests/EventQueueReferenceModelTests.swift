import Testing
@testable import Simulation

/// The obvious model of an event queue: an array kept sorted by time with a stable
/// insertion (a new event goes after every event with the same or an earlier time), so
/// ties stay in insertion order. Popping takes the first; cancelling removes by sequence.
private struct SortedArrayQueue {
  var pending: [(time: SimTime, sequence: UInt64, payload: Int)] = []
  var now: SimTime = 0
  var nextSequence: UInt64 = 0

  mutating func schedule(_ payload: Int, at time: SimTime) -> UInt64 {
    let index = pending.firstIndex { $0.time > time } ?? pending.endIndex
    pending.insert((time, nextSequence, payload), at: index)
    nextSequence += 1
    return nextSequence - 1
  }

  mutating func cancel(sequence: UInt64) -> Bool {
    guard let index = pending.firstIndex(where: { $0.sequence == sequence }) else { return false }
    pending.remove(at: index)
    return true
  }

  mutating func popNext() -> (time: SimTime, payload: Int)? {
    guard !pending.isEmpty else { return nil }
    let first = pending.removeFirst()
    now = first.time
    return (first.time, first.payload)
  }
}

@Suite struct EventQueueReferenceModelTests {
  @Test("random schedule, cancel and pop sequences match a stably sorted array",
        arguments: 1...24 as ClosedRange<UInt64>)
  func matchesSortedArray(seed: UInt64) {
    var random = RandomStream(seed: seed).substream(named: "event-queue-model")
    var queue = EventQueue<Int>()
    var model = SortedArrayQueue()
    var handles: [EventHandle] = []
    // Few distinct delays, so that equal times (ties) are common.
    let delays: [SimTime] = [0, 0, 1e-9, 0.5, 1, 1, 3, 3_600]
    for step in 0..<1_500 {
      let roll = random.nextUnitDouble()
      if roll < 0.45 {
        let delay = delays[Int(random.next() % UInt64(delays.count))]
        let handle = queue.schedule(step, at: queue.now + delay)
        let sequence = model.schedule(step, at: model.now + delay)
        #expect(handle.sequence == sequence)
        handles.append(handle)
      } else if roll < 0.65, !handles.isEmpty {
        // Any handle ever issued: pending, popped or already cancelled.
        let handle = handles[Int(random.next() % UInt64(handles.count))]
        let got = queue.cancel(handle)
        let want = model.cancel(sequence: handle.sequence)
        #expect(got == want, "step \(step): cancel \(handle)")
      } else {
        let got = queue.popNext()
        let want = model.popNext()
        #expect(got?.time == want?.time && got?.payload == want?.payload, "step \(step)")
      }
      #expect(queue.count == model.pending.count)
      #expect(queue.peekNextTime() == model.pending.first?.time)
      #expect(queue.now == model.now)
    }
    var wantRest: [Int] = []
    while let (_, payload) = model.popNext() { wantRest.append(payload) }
    #expect(queue.drain() == wantRest)
  }
}
