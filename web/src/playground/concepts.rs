//! Concept pages: one short explanation per idea the simulator's rules rest on. Narration and
//! gallery entries link here by slug (`#concept=<slug>` opens one). Written for this project.

/// One concept page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Concept {
    pub slug: &'static str,
    pub title: &'static str,
    /// Paragraphs, plain text.
    pub body: &'static [&'static str],
}

/// Every concept page.
pub const CONCEPTS: &[Concept] = &[
    Concept {
        slug: "sync-code",
        title: "Synchronous code runs to the end first",
        body: &[
            "Node runs your whole script from top to bottom before it looks at any queue. A \
             callback you hand to setTimeout, a promise reaction or an event listener for I/O \
             is only remembered; nothing can interrupt the code that is running.",
            "Only when the call stack is empty does Node turn to its queues: first the \
             process.nextTick queue, then the promise microtasks, then the phases of the event \
             loop.",
        ],
    },
    Concept {
        slug: "microtask-queue",
        title: "The microtask queue",
        body: &[
            "When a promise settles, the functions passed to its then, catch or finally are not \
             called on the spot. Each becomes a job on the microtask queue (a reaction job), as \
             does every function given to queueMicrotask.",
            "Node empties this queue completely after every piece of JavaScript it runs: after \
             the main script, after each timer callback, after each I/O callback. Jobs queued \
             while the queue drains join the same round, so a long promise chain finishes \
             before any timer gets a turn.",
        ],
    },
    Concept {
        slug: "async-await",
        title: "What an await costs",
        body: &[
            "await pauses the async function and gives control back to the caller. When the \
             awaited value settles, a job to resume the function goes on the microtask queue, \
             so even `await null` costs one trip through that queue.",
            "Awaiting or returning something that is itself a promise or a thenable costs more: \
             the engine first queues a job that calls its then method, and only that call \
             queues the resumption. That is why an async function that returns a promise \
             finishes two ticks later than one that returns a plain value.",
        ],
    },
    Concept {
        slug: "thenables",
        title: "Thenables take an extra tick",
        body: &[
            "Resolving a promise with another promise (or any object with a then method) does \
             not copy its state at once. A job is queued to call then on it; the outer promise \
             settles only when that inner then fires. Each adoption therefore adds microtask \
             turns, which shows up when several chains race.",
        ],
    },
    Concept {
        slug: "promise-all",
        title: "Concurrent waits: Promise.all",
        body: &[
            "Starting an operation and awaiting it are two different things. Three awaits in a \
             row start the second call only after the first answered, so the waits add up. \
             Starting all three first and awaiting Promise.all of them lets the waits overlap: \
             the total is about the slowest one, and they finish in order of speed, not in the \
             order they were written.",
            "All of this is still one thread: the calls wait at the same time, the callbacks \
             still run one after another.",
        ],
    },
    Concept {
        slug: "next-tick-queue",
        title: "process.nextTick comes before promises",
        body: &[
            "process.nextTick has a queue of its own, and Node drains it before the promise \
             microtasks each time it drains. A nextTick callback scheduled from a promise \
             reaction still runs before the remaining promise jobs of the next round.",
            "Between the two queues and the event loop, the order after any callback is: \
             nextTicks, then microtasks (repeating until both are empty), then the next \
             phase of the loop.",
        ],
    },
    Concept {
        slug: "timers-phase",
        title: "Timers phase",
        body: &[
            "setTimeout and setInterval record a due time. At the start of each loop iteration \
             Node runs every timer whose due time has passed, earliest first, and drains the \
             microtasks after each one. A timer's delay is a minimum, never a promise: it runs \
             at the first opportunity after it is due.",
            "setTimeout(fn, 0) actually waits 1 ms, which is why, from the main script, it can \
             run before or after setImmediate depending on how long the script took to start.",
        ],
    },
    Concept {
        slug: "poll-phase",
        title: "Poll phase: I/O callbacks",
        body: &[
            "In the poll phase Node collects finished I/O (a file read, a socket) and runs the \
             callbacks waiting for them. If nothing is ready and nothing else is scheduled, the \
             loop waits here until the next timer is due or some I/O completes.",
        ],
    },
    Concept {
        slug: "check-phase",
        title: "Check phase: setImmediate",
        body: &[
            "setImmediate callbacks run in the check phase, which comes right after poll. So \
             from inside an I/O callback, an immediate always beats a 0 ms timer: the loop \
             reaches check before it goes round to timers again.",
        ],
    },
    Concept {
        slug: "blocking",
        title: "Blocking the event loop",
        body: &[
            "There is one JavaScript thread. While a loop computes, no timer, I/O callback or \
             promise job can run; they wait, and every timer that comes due meanwhile runs late. \
             A server in this state answers nobody.",
            "The fixes are to split the work into pieces that yield (setImmediate between \
             chunks) or to move it off the main thread: worker_threads for JavaScript, or \
             native code that runs on the libuv thread pool.",
        ],
    },
    Concept {
        slug: "thread-pool",
        title: "The libuv thread pool",
        body: &[
            "Some operations cannot be done without blocking by the operating system: file \
             reads, DNS lookups, crypto such as pbkdf2, zlib. libuv runs them on a small pool of \
             threads (4 by default, UV_THREADPOOL_SIZE changes it). When more tasks arrive than \
             there are threads, the extra ones queue, so six slow tasks on four threads finish \
             in two waves.",
        ],
    },
    Concept {
        slug: "unhandled-rejection",
        title: "Unhandled rejections",
        body: &[
            "A rejected promise with no handler is not reported at once: a handler could still \
             be attached in the same tick. Node checks after the microtask queue has drained; \
             if the promise is still unhandled it emits 'unhandledRejection' on process, and \
             without a listener it prints the error and exits with code 1.",
        ],
    },
    Concept {
        slug: "event-emitter",
        title: "emit() is a plain function call",
        body: &[
            "EventEmitter has nothing to do with the event loop. emit() calls every listener \
             right away, in the order they were added, and returns when the last one returns. \
             To make an event asynchronous, emit it from a callback: setImmediate, \
             process.nextTick or a promise.",
        ],
    },
    Concept {
        slug: "nondeterminism",
        title: "When Node's order is not fixed",
        body: &[
            "A few orders depend on timing outside the program. The classic one: from the main \
             script, setTimeout(fn, 0) and setImmediate(fn) race, because the timer is due \
             after 1 ms and the loop may or may not have spent that long starting. The \
             simulator picks one order, says so, and shows the other.",
        ],
    },
    Concept {
        slug: "call-stack",
        title: "The call stack",
        body: &[
            "Each function call pushes a frame holding its local variables and the place it \
             has reached; returning pops it. JavaScript runs only at the top frame, and the \
             event loop can take the next callback only once the stack is empty again.",
        ],
    },
    Concept {
        slug: "variables",
        title: "Variables and their values",
        body: &[
            "The locals of each frame are shown next to it. A closure keeps the variables of \
             the function that created it alive, which is how a callback run much later still \
             sees them.",
        ],
    },
    Concept {
        slug: "microtask-checkpoint",
        title: "When the stack empties",
        body: &[
            "Every time a piece of JavaScript finishes and the stack is empty (the main script, \
             a timer callback, an I/O callback, an immediate), Node performs a checkpoint: it \
             drains the nextTick queue, then the microtask queue, and repeats until both are \
             empty. Only then does the event loop move on.",
        ],
    },
    Concept {
        slug: "promise-states",
        title: "A promise's three states",
        body: &[
            "A promise starts pending and settles once: fulfilled with a value or rejected \
             with a reason. Settling does not call the handlers directly; it queues one \
             reaction job per handler. A rejection is 'handled' as soon as some catch or then \
             with a rejection handler is attached.",
        ],
    },
    Concept {
        slug: "network-io",
        title: "Network I/O",
        body: &[
            "Sockets do not use the thread pool: the operating system tells libuv when data \
             arrives, and the callback runs in the poll phase. Many requests can therefore \
             wait at once without any extra thread.",
        ],
    },
    Concept {
        slug: "console",
        title: "console.log is synchronous here",
        body: &[
            "Writing to a terminal or a file from console.log happens on the spot in Node, so \
             the order of printed lines is exactly the order in which the calls ran. That is \
             what makes print statements a faithful record of the event loop's decisions.",
        ],
    },
    Concept {
        slug: "event-loop-phases",
        title: "The phases of the event loop",
        body: &[
            "After the main script, Node goes round a loop: timers (due setTimeout and \
             setInterval callbacks), pending callbacks, poll (finished I/O, and waiting when \
             there is nothing else to do), check (setImmediate), close callbacks. Between any \
             two callbacks it drains nextTicks and microtasks. When no timer, I/O or immediate \
             is left, the process emits 'exit' and ends.",
        ],
    },
    Concept {
        slug: "virtual-clock",
        title: "The virtual clock",
        body: &[
            "The simulator does not read your computer's clock. Time advances by a fixed cost \
             per executed instruction and jumps forward when the loop waits for the next timer \
             or I/O. Runs are therefore repeatable, and a busy loop makes time pass exactly as \
             it would block a real process.",
        ],
    },
];

/// The concept page with this slug.
pub fn find(slug: &str) -> Option<&'static Concept> {
    CONCEPTS.iter().find(|c| c.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_pages_short() {
        for (i, c) in CONCEPTS.iter().enumerate() {
            assert!(
                CONCEPTS[i + 1..].iter().all(|d| d.slug != c.slug),
                "{}",
                c.slug
            );
            let words: usize = c.body.iter().map(|p| p.split_whitespace().count()).sum();
            assert!((20..=220).contains(&words), "{} has {words} words", c.slug);
        }
        assert!(find("microtask-queue").is_some());
    }
}
