import Dispatch

/// A task executor that runs jobs on one of the event queues, the same serial queue whose
/// readiness handlers resume the descriptors it serves.
///
/// Why: a task parked on a socket is resumed from a readiness handler running on that
/// descriptor's event queue. Without a preference the job then goes to Swift's cooperative
/// pool, waking another thread for every request; with this executor the job is appended to the
/// queue already running, so the whole request-response turn stays on one thread (the shape of
/// an nginx worker). Tasks that prefer it should not block: they share the queue with every
/// other descriptor on it.
public final class EventQueueExecutor: TaskExecutor {
    let queue: DispatchQueue

    init(queue: DispatchQueue) {
        self.queue = queue
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { [self] in
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
