import Testing
@testable import Simulation

@Suite struct SimulatorTests {
  @Test("run(until:) handles events at or before until in order, leaves later ones pending and moves now to until")
  func runUntil() {
    var simulator = Simulator<String>()
    for (name, time) in [("d", 5.0), ("a", 1), ("c", 3), ("b", 2), ("e", 3.000_001)] {
      simulator.queue.schedule(name, at: time)
    }
    var handled: [String] = []
    var times: [SimTime] = []
    simulator.run(until: 3) { queue, time, name in
      handled.append(name)
      times.append(time)
      #expect(queue.now == time)
    }
    #expect(handled == ["a", "b", "c"])
    #expect(times == [1, 2, 3])
    #expect(simulator.queue.now == 3)
    #expect(simulator.queue.count == 2)
    #expect(simulator.queue.peekNextTime() == 3.000_001)
  }

  @Test("run(until:) advances the clock to until even when no event is due")
  func idleRunAdvancesClock() {
    var simulator = Simulator<Int>()
    simulator.queue.schedule(1, at: .hours(2))
    var calls = 0
    simulator.run(until: .hours(1)) { _, _, _ in calls += 1 }
    #expect(calls == 0)
    #expect(simulator.queue.now == 3_600)
    simulator.queue.schedule(2, after: 60)  // relative to the advanced clock
    #expect(simulator.queue.peekNextTime() == 3_660)
  }

  @Test("events a handler schedules at the current time run in the same run, in scheduling order, after earlier ties")
  func handlerScheduledTies() {
    var simulator = Simulator<String>()
    simulator.queue.schedule("a", at: 1)
    simulator.queue.schedule("b", at: 1)
    simulator.queue.schedule("z", at: 2)
    var handled: [String] = []
    simulator.run(until: 1) { queue, _, name in
      handled.append(name)
      if name == "a" {
        queue.schedule("a1", after: 0)
        queue.schedule("a2", after: 0)
        queue.schedule("late", after: 0.5)  // past until: stays pending
      }
      if name == "a1" { queue.schedule("a1x", after: 0) }
    }
    #expect(handled == ["a", "b", "a1", "a2", "a1x"])
    #expect(simulator.queue.count == 2)
    #expect(simulator.queue.now == 1)
  }

  @Test("consecutive runs continue where the last one stopped, and a handler can cancel pending events")
  func consecutiveRunsAndCancel() {
    var simulator = Simulator<String>()
    var timeout: EventHandle?
    simulator.queue.schedule("request", at: 10)
    var handled: [String] = []
    simulator.run(until: 15) { queue, _, name in
      handled.append(name)
      if name == "request" {
        timeout = queue.schedule("timeout", after: 30)
        queue.schedule("response", after: 12)
      }
    }
    simulator.run(until: 100) { queue, _, name in
      handled.append(name)
      if name == "response", let timeout {
        let wasPending = queue.cancel(timeout)
        #expect(wasPending)
      }
    }
    #expect(handled == ["request", "response"])
    #expect(simulator.queue.isEmpty)
    #expect(simulator.queue.now == 100)
  }

  @Test("run(until:) rejects an until earlier than now, quoting both")
  func rejectsPastUntil() async throws {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var simulator = Simulator<Int>()
      simulator.run(until: 20) { _, _, _ in }
      simulator.run(until: 5) { _, _, _ in }
    }
    let message = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
    #expect(message.contains("run(until: 5.0)") && message.contains("(20.0 s)"), "\(message)")
  }
}
