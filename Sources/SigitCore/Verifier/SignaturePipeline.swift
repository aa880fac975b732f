import Foundation
import GitKit

/// Reads and checks the commits of a walk ahead of the ledger, on other threads, so parsing trailers and verifying
/// SSHSIG signatures (pure computation) overlap the judging of earlier commits instead of adding to it.
///
/// A background thread opens its own handle on the repository (libgit2 handles must not be shared between threads),
/// reads each batch of commits with their signed payloads, and builds their records on every core. At most
/// `window` batches wait ahead of the ledger, which bounds memory. `record(at:)` waits for the batch of a position.
/// Whatever the background could not read (an object it cannot see, such as a pre-receive hook's quarantined
/// objects, or any error) is left nil, and the ledger reads that commit itself.
final class SignaturePipeline: @unchecked Sendable {
    private let gitDir: String
    private let order: [ObjectID]
    /// Answers already known (the signature cache): those commits are not read for their signature again.
    private let known: SignatureAnswers
    private let batch: Int
    private let lock = NSLock()
    /// Records of the batches read and not yet taken by the ledger, by batch number (at most `window` of them: memory
    /// stays bounded by the window, not by the length of history).
    private var batches: [Int: [CommitRecord?]] = [:]
    private let done: [DispatchSemaphore]
    private let window: DispatchSemaphore
    private var cancelled = false

    init(gitDir: String, order: [ObjectID], known: SignatureAnswers, batch: Int = 512, window: Int = 4) {
        self.gitDir = gitDir
        self.order = order
        self.known = known
        self.batch = batch
        self.window = DispatchSemaphore(value: window)
        done = (0..<(order.count + batch - 1) / batch).map { _ in DispatchSemaphore(value: 0) }
    }

    /// Starts the background work.
    func start() {
        let thread = Thread { [self] in run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Stops the background work after the batch in progress (the walk ended or failed).
    func cancel() {
        lock.withLock { cancelled = true }
        window.signal()
    }

    /// The record of the commit at `position` of the walk; nil when the background could not make it.
    func record(at position: Int) -> CommitRecord? {
        let index = position / batch
        guard done.indices.contains(index) else { return nil }
        done[index].wait()
        done[index].signal()  // later positions of the same batch do not wait
        if position % batch == batch - 1 || position == order.count - 1 { window.signal() }
        return lock.withLock {
            let offset = position - index * batch
            guard let count = batches[index]?.count, offset < count else { return nil }
            let record = batches[index]?[offset] ?? nil
            // Each position is asked for once: free it in place, and the whole batch after its last position.
            if offset == count - 1 { batches[index] = nil } else { batches[index]?[offset] = nil }
            return record
        }
    }

    private func run() {
        let repo = try? Repository.open(gitDir)
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        for (index, start) in stride(from: 0, to: order.count, by: batch).enumerated() {
            window.wait()
            if lock.withLock({ cancelled }) {
                // The walk ended early: release anything still waiting and stop (the thread must not block forever).
                for rest in index..<done.count { done[rest].signal() }
                return
            }
            defer { done[index].signal() }
            guard let repo else { continue }
            let range = start..<min(order.count, start + batch)
            // Per commit: its info, and either the known answer or the signed payload to check.
            let read: [(CommitInfo, SignatureCheck?, (signature: String, payload: Data)?)?] = range.map { position in
                let id = order[position]
                guard let info = try? repo.commit(id) else { return nil }
                if let answer = known[id], answer.key == nil || known.event(id) != nil { return (info, answer, nil) }
                // nil here means unsigned (a valid answer); only an error leaves the commit to the ledger.
                let signed: (signature: String, payload: Data)?
                do { signed = try repo.signedPayload(of: id) } catch { return nil }
                return (info, nil, signed)
            }
            let made = ParallelResults<CommitRecord>(count: read.count)
            let workers = min(cores, max(1, read.count / 64))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for i in stride(from: worker, to: read.count, by: workers) {
                    guard let (info, answer, signed) = read[i] else { continue }
                    let id = order[range.lowerBound + i]
                    made.set(i, answer.map { CommitRecord.make(id: id, info: info, signature: $0, event: known.event(id), details: known.details(id)) }
                             ?? CommitRecord.make(id: id, info: info, signed: signed))
                }
            }
            let records = read.indices.map { made.value($0) }
            lock.withLock { batches[index] = records }
        }
    }
}
