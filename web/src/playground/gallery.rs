//! The examples gallery: short snippets, each with the one question it answers and the concept
//! page that explains it. Every example prints exactly what real Node.js prints: the expected
//! stdout next to each snippet (`examples/*.out`) was produced with `node` (v20), and the test
//! below runs every snippet through the simulator and compares. Examples that use the network
//! run against the playground's hosts ([`super::protocol::playground_network`]); their `.out`
//! comes from `node -r ./node-network.cjs NAME.js`, which serves those hosts locally.

/// One gallery entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// Stable id, used in `#ex=` links and test ids.
    pub slug: &'static str,
    pub title: &'static str,
    /// The one-line question the snippet answers.
    pub question: &'static str,
    /// The concept page that explains it (see [`super::concepts`]).
    pub concept: &'static str,
    pub source: &'static str,
    /// What `node` printed on stdout.
    pub expected_stdout: &'static str,
}

macro_rules! example {
    ($slug:literal, $title:literal, $question:literal, $concept:literal) => {
        Example {
            slug: $slug,
            title: $title,
            question: $question,
            concept: $concept,
            source: include_str!(concat!("examples/", $slug, ".js")),
            expected_stdout: include_str!(concat!("examples/", $slug, ".out")),
        }
    };
}

/// The gallery, in teaching order.
pub const EXAMPLES: &[Example] = &[
    example!(
        "sync-async",
        "Sync first, then the loop",
        "Which line prints last?",
        "sync-code"
    ),
    example!(
        "microtasks",
        "Promises and the microtask queue",
        "A 0 ms timer or a resolved promise: which callback runs first?",
        "microtask-queue"
    ),
    example!(
        "async-await",
        "What an await costs",
        "An async function, a promise chain and an adopted promise: who prints when?",
        "async-await"
    ),
    example!(
        "promise-all",
        "Promise.all of three fetches vs three awaits in a row",
        "Three network requests at once or one after another: which finishes sooner, and in what order do they answer?",
        "promise-all"
    ),
    example!(
        "queues",
        "nextTick, promises, setImmediate, setTimeout",
        "Queued from one timer callback: in what order do the four run?",
        "next-tick-queue"
    ),
    example!(
        "io-immediate",
        "Immediates inside I/O",
        "After a file read, setImmediate or setTimeout(0): which wins, every time?",
        "check-phase"
    ),
    example!(
        "threadpool",
        "Six pbkdf2 calls, four threads",
        "Six hashes start together on a thread pool of 4: how many finish in the first batch?",
        "thread-pool"
    ),
    example!(
        "busy-loop",
        "A busy loop freezes everything",
        "A 5 ms timer and 50 ms of CPU work: when does the timer run?",
        "blocking"
    ),
    example!(
        "promise-cpu",
        "A promise does not make CPU work asynchronous",
        "30 ms of CPU work inside new Promise and a 1 ms timer: does the promise let the timer run first?",
        "promise-cpu"
    ),
    example!(
        "unhandled-rejection",
        "Unhandled rejections",
        "A promise rejects and nobody catches it: when does Node notice?",
        "unhandled-rejection"
    ),
    example!(
        "event-emitter",
        "EventEmitter's emit is synchronous",
        "Does emit() wait for the event loop?",
        "event-emitter"
    ),
];

/// The example with this slug.
pub fn find(slug: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.slug == slug)
}

/// The example shown on a first visit.
pub fn first() -> &'static Example {
    &EXAMPLES[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_prints_what_node_prints() {
        for example in EXAMPLES {
            let options = super::super::protocol::Settings::default().run_options();
            let outcome = looplab_core::run(example.source, &options);
            assert_eq!(
                outcome.stdout, example.expected_stdout,
                "example {} differs from node (stderr: {})",
                example.slug, outcome.stderr
            );
            assert_eq!(outcome.stderr, "", "example {}", example.slug);
            assert_eq!(outcome.exit_code, 0, "example {}", example.slug);
            assert!(
                outcome.nondeterministic.is_empty(),
                "example {} relies on an order real Node does not guarantee: {:?}",
                example.slug,
                outcome.nondeterministic
            );
        }
    }

    #[test]
    fn slugs_are_unique_and_concepts_exist() {
        for (i, a) in EXAMPLES.iter().enumerate() {
            assert!(
                EXAMPLES[i + 1..].iter().all(|b| b.slug != a.slug),
                "{}",
                a.slug
            );
            assert!(
                super::super::concepts::find(a.concept).is_some(),
                "example {} names a missing concept {}",
                a.slug,
                a.concept
            );
            assert!(a.question.ends_with('?'), "{}", a.slug);
        }
        assert_eq!(find("queues").map(|e| e.slug), Some("queues"));
        assert!(find("nope").is_none());
    }
}
