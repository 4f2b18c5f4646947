//! Concept pages: one short explanation per idea the simulator's rules rest on. Narration and
//! gallery entries link here by slug (`#concept=<slug>` opens one). Written for this project.
//! Every page states what holds for CommonJS on Node 20 (what the simulator runs), notes where
//! ES modules or other platforms differ, and names its source in a "Read more" line. The
//! glossary page ([`GLOSSARY`]) fixes one name per thing; the pages and the narration use
//! only those names.

/// One concept page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Concept {
    pub slug: &'static str,
    pub title: &'static str,
    /// Paragraphs, plain text.
    pub body: &'static [&'static str],
    /// Where to read more: the Node.js documentation section (or another primary source).
    pub read_more: &'static str,
}

/// The slug of the glossary page (linked from every narration).
pub const GLOSSARY: &str = "glossary";

/// Every concept page.
pub const CONCEPTS: &[Concept] = &[
    Concept {
        slug: "sync-code",
        title: "Synchronous code runs to the end first",
        body: &[
            "Node runs the main module from top to bottom before it looks at any queue. A callback you hand to setTimeout, a promise reaction or a listener for I/O is only remembered; nothing can interrupt the code that is running.",
            "Only when the call stack is empty does Node turn to its queues: first the nextTick queue, then the microtask queue, then the phases of the event loop. That is the order for a CommonJS main module, which is what the simulator runs. An ES module's top level is itself evaluated inside a microtask, so there the promise reactions it queues run before its nextTick callbacks.",
        ],
        read_more: "Node.js docs: Learn › Asynchronous work › The Node.js Event Loop; Modules: ECMAScript modules.",
    },
    Concept {
        slug: "microtask-queue",
        title: "The microtask queue",
        body: &[
            "When a promise settles, the functions passed to its then, catch or finally are not called on the spot. Each becomes a microtask (a reaction) on V8's microtask queue, as does every function given to queueMicrotask and every resumption of an await. Running one microtask is one microtask turn.",
            "Once V8 starts draining this queue it runs microtasks until the queue is empty, including those queued while it drains, so a long promise chain finishes before any timer gets a turn. Node lets it drain after the main module and after every callback of the loop, each time after its own nextTick queue.",
        ],
        read_more: "Node.js docs: Globals › queueMicrotask(); Learn › Asynchronous work › Understanding process.nextTick().",
    },
    Concept {
        slug: "async-await",
        title: "What an await costs",
        body: &[
            "await pauses the async function and gives control back to its caller. When the awaited value settles, a microtask to resume the function is queued, so even `await 42` costs one microtask turn. Since the 2019 change (V8 7.2, Node 12), awaiting a native promise costs the same single turn: the function resumes one turn after the promise settles.",
            "Extra turns come from elsewhere. Awaiting a thenable that is not a native promise costs one more turn, because a microtask must first call its then method. Returning a promise from an async function (or resolving any promise with one) costs two more: one turn to call its then, one for the reaction that settles the outer promise. So `async () => p` settles three turns after p, `async () => 1` one turn after the call.",
        ],
        read_more: "V8 blog: “Faster async functions and promises” (2018); ECMAScript: Await, PromiseResolveThenableJob.",
    },
    Concept {
        slug: "thenables",
        title: "Adopting a thenable takes extra microtask turns",
        body: &[
            "Resolving a promise with another promise, or with any object that has a then method, does not copy its state at once. A microtask is queued to call then on it, and the outer promise settles only when that then calls back; for a native promise that is two microtask turns in all. It happens in resolve(p), in `return p` from a then handler or an async function, and when a thenable that is not a native promise is awaited. Awaiting a native promise does not adopt: it reacts to the promise directly.",
        ],
        read_more: "ECMAScript: Promise Resolve Functions, NewPromiseResolveThenableJob; V8 blog: “Faster async functions and promises”.",
    },
    Concept {
        slug: "promise-all",
        title: "Concurrent waits: Promise.all",
        body: &[
            "Starting an operation and waiting for it are two different things. Three awaits in a row start the second call only after the first answered, so the waits add up. Calling all three first and then awaiting Promise.all of them lets the waits overlap: the total is about the slowest one, and they finish in order of speed.",
            "Promise.all starts nothing: the operations began when the functions were called, before Promise.all saw their promises. It only waits. When one promise rejects, Promise.all rejects at once, but it cancels nothing: the other operations go on and their results are dropped. All of this is one thread: the waits overlap, the callbacks still run one after another.",
        ],
        read_more: "MDN: Promise.all(); Node.js docs: Learn › Asynchronous work › Discover Promises in Node.js.",
    },
    Concept {
        slug: "promise-cpu",
        title: "A promise does not make CPU work asynchronous",
        body: &[
            "A promise does no work of its own and has no queue that runs code elsewhere. The executor passed to new Promise runs synchronously, on the spot, before new Promise returns. A CPU loop inside it blocks the main thread exactly as the same loop outside it would: a 1 ms timer waits until the loop ends, and the then handlers run only after it too.",
            "What a promise offers is a way to wait for a result that something else produces: the thread pool, the operating system, another thread. To take CPU work off the main thread, move it to a worker_threads Worker (or split it into pieces with setImmediate between them).",
        ],
        read_more: "Node.js docs: Learn › Asynchronous work › Don't Block the Event Loop (or the Worker Pool); Worker threads.",
    },
    Concept {
        slug: "next-tick-queue",
        title: "process.nextTick and the microtask queue",
        body: &[
            "process.nextTick has a queue of its own, kept by Node. When the main module or a callback of the loop ends, Node runs its nextTick queue first, then lets V8 drain the microtask queue, and repeats until both are empty.",
            "But V8 does not stop for nextTick callbacks while it drains the microtask queue. A nextTick queued by a promise reaction waits until that queue is empty, microtasks queued meanwhile included: `Promise.resolve().then(() => { process.nextTick(T); Promise.resolve().then(P) }).then(R2).then(R3)` runs P, R2, R3, then T. In an ES module the top level runs inside a microtask, so there even its own nextTick callbacks run after its promise reactions.",
        ],
        read_more: "Node.js docs: Process › process.nextTick() (“When to use queueMicrotask() vs. process.nextTick()”).",
    },
    Concept {
        slug: "timers-phase",
        title: "Timers phase",
        body: &[
            "setTimeout and setInterval record a due time. In the timers phase Node takes the timers whose due time has passed, earliest first. After each timer callback it runs the nextTick queue and drains the microtask queue, then goes on with the next due timer; only when no due timer is left does the loop move to the next phase. A delay is a minimum, not a promise: the callback runs at the first chance after it is due.",
            "setTimeout(fn, 0) actually waits 1 ms, which is why, from the main module, it can run before or after setImmediate depending on how long the loop took to start.",
        ],
        read_more: "Node.js docs: Timers; Learn › Asynchronous work › The Node.js Event Loop (timers).",
    },
    Concept {
        slug: "poll-phase",
        title: "Poll phase: I/O callbacks",
        body: &[
            "In the poll phase Node collects finished I/O (a file read done by the thread pool, data on a socket) and runs the callbacks waiting for it. If nothing is ready and no immediate is queued, the loop waits here until the next timer is due or some I/O completes.",
        ],
        read_more: "Node.js docs: Learn › Asynchronous work › The Node.js Event Loop (poll).",
    },
    Concept {
        slug: "check-phase",
        title: "Check phase: setImmediate",
        body: &[
            "setImmediate puts its callback on the immediate queue, which the check phase empties; the check phase comes right after poll. So from inside an I/O callback an immediate always beats a 0 ms timer: the loop reaches the check phase before it goes round to the timers phase again. An immediate queued during a check phase waits for the next loop iteration.",
        ],
        read_more: "Node.js docs: Timers › setImmediate(); Learn › The Node.js Event Loop (setImmediate() vs setTimeout()).",
    },
    Concept {
        slug: "blocking",
        title: "Blocking the event loop",
        body: &[
            "There is one JavaScript thread. While a loop computes, no timer, I/O callback or microtask can run; they wait, and every timer that comes due meanwhile runs late. A server in this state answers nobody. Wrapping the loop in a promise changes nothing (see the lesson on promises and CPU work).",
            "The fixes are to split the work into pieces that yield (setImmediate between chunks) or to move it off the main thread: worker_threads for JavaScript, or native code that runs on the libuv thread pool.",
        ],
        read_more: "Node.js docs: Learn › Asynchronous work › Don't Block the Event Loop (or the Worker Pool).",
    },
    Concept {
        slug: "thread-pool",
        title: "The libuv thread pool",
        body: &[
            "libuv keeps a small pool of threads for work that would otherwise block the main thread. In Node that is: every asynchronous fs call except the watchers, dns.lookup (getaddrinfo), the asynchronous crypto functions (pbkdf2, scrypt, randomBytes, randomFill, generateKeyPair) and asynchronous zlib. File system calls and getaddrinfo go there because the operating system offers no portable non-blocking form of them; crypto and zlib because they are CPU-heavy. Sockets never use it.",
            "The pool has 4 threads by default. UV_THREADPOOL_SIZE sets its size (at most 1024) and is read once, when the pool is first used: set it in the environment before node starts. Assigning process.env.UV_THREADPOOL_SIZE inside the program takes effect only if nothing used the pool yet, which Node does not promise. Tasks beyond the pool's size queue, so six slow tasks on four threads finish in two waves.",
        ],
        read_more: "Node.js docs: Command-line options › UV_THREADPOOL_SIZE; Learn › Don't Block the Event Loop (or the Worker Pool).",
    },
    Concept {
        slug: "worker-threads",
        title: "Worker threads, cores and messages",
        body: &[
            "A Worker is a second JavaScript thread in the same process. It gets a V8 instance, heap and event loop of its own, so nothing it computes blocks the main thread, and the two really run at the same time when the machine has a free core for each. With more runnable threads than cores, the operating system hands out short time slices in turn; each change of thread on a core costs a context switch.",
            "Threads share no ordinary objects. postMessage copies its value with the structured clone algorithm at the moment of the call, and the copy reaches the other thread's event loop as a 'message' event, later, once that thread is free. Copying costs time per byte; a transferred ArrayBuffer moves instead, and a SharedArrayBuffer is the one kind of memory both threads see (Atomics coordinates them). Starting a worker takes tens of milliseconds, so it pays off for long work only.",
        ],
        read_more: "Node.js docs: Worker threads (worker_threads), Port.postMessage and the HTML structured clone algorithm.",
    },
    Concept {
        slug: "processes",
        title: "Child processes, pipes and IPC",
        body: &[
            "child_process starts another program as a process of its own: separate memory, separate pid, and for a Node child a complete runtime with its own V8 and event loop. exec hands a command line to /bin/sh and collects everything it prints before calling back; execFile runs one program directly, without a shell; spawn returns at once and lets the output flow in as chunks on child.stdout and child.stderr; fork is spawn for a Node script plus an IPC channel.",
            "Processes share nothing. The child's stdio are pipes the parent reads in its poll phase, chunk by chunk. Over IPC, child.send and process.send serialise a value (as JSON by default, or with the structured clone when serialization is 'advanced') and the other side gets a 'message' event. When the child ends, its parent sees 'exit', then 'close' once the pipes are drained too.",
            "Spawning briefly blocks the caller while the operating system creates the process, and a Node child needs tens of milliseconds to boot before its first statement. A worker thread starts sooner and can share memory; a process isolates a crash and can run any program.",
        ],
        read_more: "Node.js docs: Child process (child_process), subprocess.send and the 'exit' and 'close' events.",
    },
    Concept {
        slug: "unhandled-rejection",
        title: "Unhandled rejections",
        body: &[
            "A rejected promise with no handler is not reported at once: a handler could still be attached. Node checks after the microtask queue has drained; if the promise is still unhandled it emits 'unhandledRejection' on process. With no listener for that (the default mode, throw, since Node 15) it raises the reason as an uncaught exception: an 'uncaughtException' listener then handles it and the process goes on, exiting with code 0; with neither listener Node prints the error and exits with code 1.",
            "Any handler marks a promise handled, even then(f) without a rejection handler. The promise that then returns is rejected in turn, and it is the one reported if nothing handles it.",
        ],
        read_more: "Node.js docs: Process › Event: 'unhandledRejection'; Command-line options › --unhandled-rejections.",
    },
    Concept {
        slug: "event-emitter",
        title: "emit() is a plain function call",
        body: &[
            "EventEmitter has nothing to do with the event loop. emit() calls every listener right away, in the order they were added, and returns when the last one returns. To make an event asynchronous, emit it from a callback: setImmediate, process.nextTick or a promise.",
        ],
        read_more: "Node.js docs: Events › Asynchronous vs. synchronous.",
    },
    Concept {
        slug: "nondeterminism",
        title: "When Node's order is not fixed",
        body: &[
            "A few orders depend on timing outside the program. The classic one: from the main module, setTimeout(fn, 0) and setImmediate(fn) race, because the timer is due after 1 ms and the loop may or may not have spent that long starting. The simulator picks one order, says so, and shows the other.",
        ],
        read_more: "Node.js docs: Learn › The Node.js Event Loop (setImmediate() vs setTimeout()).",
    },
    Concept {
        slug: "call-stack",
        title: "The call stack",
        body: &[
            "Each function call pushes a frame holding its local variables and the place it has reached; returning pops it. JavaScript runs only at the top frame, and the event loop can take the next callback only once the stack is empty again.",
        ],
        read_more: "Node.js docs: Learn › Asynchronous work › The Node.js Event Loop; MDN: Call stack.",
    },
    Concept {
        slug: "variables",
        title: "Variables and their values",
        body: &[
            "The locals of each frame are shown next to it. A closure keeps the variables of the function that created it alive, which is how a callback run much later still sees them.",
        ],
        read_more: "MDN: Closures.",
    },
    Concept {
        slug: "microtask-checkpoint",
        title: "When the stack empties",
        body: &[
            "Every time the main module or a callback of the loop (a timer, an I/O callback, an immediate) finishes and the stack is empty, Node runs its nextTick queue, then lets V8 drain the microtask queue, and repeats until both are empty. Only then does the loop go on. A nextTick queued by a microtask waits until the microtask queue is empty: V8 does not stop for it.",
        ],
        read_more: "Node.js docs: Process › process.nextTick(); Learn › Understanding process.nextTick().",
    },
    Concept {
        slug: "promise-states",
        title: "A promise's three states",
        body: &[
            "A promise starts pending and settles once: fulfilled with a value or rejected with a reason. Settling does not call the handlers; it queues one reaction per handler on the microtask queue. A rejected promise counts as handled as soon as any handler is attached, then(f) without a rejection handler included (the promise then returns is rejected in turn).",
        ],
        read_more: "Node.js docs: Process › Event: 'unhandledRejection'; MDN: Promise.",
    },
    Concept {
        slug: "network-io",
        title: "Network I/O",
        body: &[
            "Sockets do not use the thread pool: the operating system tells libuv when data arrives, and the callback runs in the poll phase, so many requests can wait at once without any extra thread. A request to a host name first resolves it with dns.lookup, which calls getaddrinfo on the thread pool, and that is where many lookups queue. The simulator's virtual network skips DNS: its requests take no pool thread at all.",
        ],
        read_more: "Node.js docs: DNS › Implementation considerations; Net.",
    },
    Concept {
        slug: "console",
        title: "console.log and the order of output",
        body: &[
            "console.log formats its arguments and hands the text to process.stdout at once, so printed lines keep the order in which the calls ran: print statements are a faithful record of the loop's decisions. Whether the write itself is finished when console.log returns depends on the stream: files are written synchronously, terminals synchronously on Linux and macOS, but pipes (as in `node app.js | less`) and sockets asynchronously on Linux and macOS. The order stays, but output still pending can be lost if the program calls process.exit(). The simulator writes every line at once.",
        ],
        read_more: "Node.js docs: Process › A note on process I/O.",
    },
    Concept {
        slug: "event-loop-phases",
        title: "The phases of the event loop",
        body: &[
            "After the main module, Node goes round a loop: timers (due setTimeout and setInterval callbacks), pending callbacks, poll (finished I/O, and waiting when there is nothing else to do), check (setImmediate), close callbacks. After every callback it runs the nextTick queue and drains the microtask queue. When no timer, I/O or immediate is left, Node emits 'beforeExit' (a listener may schedule more work, and the loop goes on), then 'exit', and the process ends.",
            "Pending callbacks runs I/O callbacks that libuv deferred to the next iteration (some TCP errors, for example); close callbacks runs the 'close' events of handles closed abruptly, such as socket.destroy(). The simulator models neither: nothing runs there in its runs, and the loop drawing shows them greyed.",
        ],
        read_more: "Node.js docs: Learn › Asynchronous work › The Node.js Event Loop; Process › Event: 'beforeExit'.",
    },
    Concept {
        slug: "virtual-clock",
        title: "The virtual clock",
        body: &[
            "The simulator does not read your computer's clock. Time advances by a fixed cost per executed instruction and jumps forward when the loop waits for the next timer or I/O. Runs are therefore repeatable, and a busy loop makes time pass exactly as it would block a real process.",
        ],
        read_more: "Node.js docs: Timers (what a delay promises); Looplab's docs/trace.md.",
    },
    Concept {
        slug: "glossary",
        title: "Glossary: one name for each thing",
        body: &[
            "main module: the file node runs; the simulator runs it as CommonJS. call stack: the frames of the functions running now.",
            "nextTick queue: Node's queue of process.nextTick callbacks. microtask: a job on V8's microtask queue (a reaction to a settled promise, an await resumption, a thenable adoption or a queueMicrotask callback). reaction: the microtask that calls a then, catch or finally handler. microtask turn: running one microtask; 'await 42 costs one microtask turn'. 'Tick' appears only in the name process.nextTick.",
            "callback of the loop: a timer, I/O or immediate callback the event loop takes from its queue. timers phase, poll phase, check phase: the loop's phases that run them. immediate queue: the setImmediate callbacks waiting for the check phase.",
            "thread pool: libuv's worker threads for fs, dns.lookup, crypto and zlib. handled: a rejected promise with at least one handler attached.",
        ],
        read_more: "Node.js docs: Learn › Asynchronous work › The Node.js Event Loop.",
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
            assert!(!c.read_more.is_empty(), "{} names no source", c.slug);
        }
        assert!(find("microtask-queue").is_some());
        assert!(find(GLOSSARY).is_some());
    }

    #[test]
    fn pages_use_one_name_per_thing() {
        // The glossary's names only: no "tick" for a microtask turn, no second name for the
        // check phase's queue, the main module or a microtask.
        let banned = [
            "setImmediate queue",
            "check queue",
            "main script",
            "promise job",
            "reaction job",
            "two ticks",
            "extra tick",
            "same tick",
        ];
        for c in CONCEPTS {
            for p in c.body.iter().chain([&c.title]) {
                for b in banned {
                    assert!(!p.contains(b), "{} says \"{b}\"", c.slug);
                }
            }
        }
    }

    #[test]
    fn every_narration_rule_has_a_page() {
        for (rule, slug) in looplab_core::trace::narrate::RULES {
            assert!(
                find(slug).is_some(),
                "rule {rule} names a missing page {slug}"
            );
        }
    }
}
