//! The page's state in the URL fragment, so a link replays a run exactly.
//!
//! Format: `#code=<base64url of the UTF-8 source>&pool=4&io=1000&ins=10&step=12`, or
//! `#project=<base64url of the project's UTF-8 JSON>` (several files, see [`super::project`]),
//! or `#ex=<example slug>` instead of `code`. The run settings' keys are those of
//! [`protocol::SETTINGS`] (`cores`, `pool`, `io`, `ins`, `wstart`, `fork`, `spawn`, `ipc`,
//! `msg`, `clone`). Every key is optional. `code` and `project` are meant to be written by hand
//! too: padding (`=`) may be present or not, and the standard alphabet (`+`, `/`) is accepted as
//! well as the URL-safe one (`-`, `_`). A value that does not decode is reported, a setting out
//! of its range is clamped and reported, and nothing else is lost.

use super::project::{Project, MAX_PROJECT_BYTES};
use super::protocol::{self, Settings};

/// What a fragment asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    /// The decoded source, or why it could not be decoded.
    pub code: Option<Result<String, String>>,
    /// The decoded project (`#project=`), or why it could not be read.
    pub project: Option<Result<Project, String>>,
    /// A gallery example to open (when there is no `code`).
    pub example: Option<String>,
    /// Settings present in the fragment, applied over the defaults.
    pub settings: Option<Settings>,
    /// The step to show.
    pub step: Option<usize>,
    /// `embed` in the fragment (also accepted as `?embed` in the query).
    pub embed: bool,
    /// Sentences about settings that were out of range (clamped) or not numbers (ignored).
    pub warnings: Vec<String>,
}

impl Fragment {
    /// The project the fragment carries (`project`, else `code` as a one-file project), or why
    /// it could not be read; `None` when it carries neither.
    pub fn project(&self) -> Option<Result<Project, String>> {
        match (&self.project, &self.code) {
            (Some(p), _) => Some(p.clone()),
            (None, Some(c)) => Some(c.clone().map(Project::single)),
            (None, None) => None,
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url or standard base64, with or without padding.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, String> {
    let trimmed = text.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for (i, c) in trimmed.chars().enumerate() {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '-' | '+' => 62,
            '_' | '/' => 63,
            _ => {
                return Err(format!(
                    "'{c}' at position {} is not a base64 character",
                    i + 1
                ))
            }
        };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if trimmed.len() % 4 == 1 {
        return Err("the base64 text has a stray last character (is it cut short?)".into());
    }
    Ok(out)
}

/// Encodes a source for `#code=`.
pub fn encode_code(source: &str) -> String {
    base64url_encode(source.as_bytes())
}

/// Decodes a `#code=` value into the source, or says why not.
pub fn decode_code(value: &str) -> Result<String, String> {
    let bytes = base64url_decode(&percent_decode(value))?;
    String::from_utf8(bytes).map_err(|_| "the decoded bytes are not UTF-8 text".to_string())
}

/// Encodes a project for `#project=`.
pub fn encode_project(project: &Project) -> String {
    base64url_encode(project.to_json().as_bytes())
}

/// Decodes and checks a `#project=` value, or says why it cannot be used.
pub fn decode_project(value: &str) -> Result<Project, String> {
    // Base64 grows the text by a third: refuse what cannot be a project before decoding it.
    if value.len() > MAX_PROJECT_BYTES / 3 * 4 + 64 * 1024 {
        return Err(format!(
            "the link's project is too long ({} KB)",
            value.len() / 1024
        ));
    }
    let json = decode_code(value)?;
    Project::from_json(&json)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && text.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a fragment (with or without the leading `#`).
pub fn parse_fragment(fragment: &str) -> Fragment {
    let mut f = Fragment::default();
    let mut settings = Settings::default();
    let mut any_setting = false;
    for pair in fragment.trim_start_matches('#').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "code" => f.code = Some(decode_code(value)),
            "project" => f.project = Some(decode_project(value)),
            "ex" if !value.is_empty() => f.example = Some(value.to_string()),
            "step" => f.step = value.parse().ok(),
            "embed" => f.embed = true,
            _ => {
                let Some(field) = protocol::setting_field(key) else {
                    continue;
                };
                match value.trim().parse::<u64>() {
                    Ok(n) => {
                        f.warnings.extend(field.set_clamped(&mut settings, n));
                        any_setting = true;
                    }
                    // A number too large for u64 is still a number: the largest allowed.
                    Err(_) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                        f.warnings
                            .extend(field.set_clamped(&mut settings, u64::MAX));
                        any_setting = true;
                    }
                    Err(_) => {
                        let shown: String = value.chars().take(20).collect();
                        f.warnings.push(format!(
                            "{} ({key}={shown}) is not a whole number: ignored.",
                            field.label
                        ))
                    }
                }
            }
        }
    }
    if any_setting {
        f.settings = Some(settings.clamped());
    }
    f
}

/// Builds the fragment for the current page state (settings only when not the defaults).
pub fn format_fragment(source: &str, settings: &Settings, step: Option<usize>) -> String {
    format_project_fragment(&Project::single(source), settings, step)
}

/// Builds the fragment for a project: `#code=` for a one-file `main.js` (the older, shorter
/// link), else `#project=`; then every setting that is not its default, then the step.
pub fn format_project_fragment(
    project: &Project,
    settings: &Settings,
    step: Option<usize>,
) -> String {
    let mut out = if project.is_single() {
        format!("#code={}", encode_code(project.main_text()))
    } else {
        format!("#project={}", encode_project(project))
    };
    let defaults = Settings::default();
    for field in protocol::SETTINGS {
        let value = (field.get)(settings);
        if value != (field.get)(&defaults) {
            out.push_str(&format!("&{}={value}", field.key));
        }
    }
    if let Some(step) = step {
        out.push_str(&format!("&step={step}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n)
                .map(|i| i.wrapping_mul(37).wrapping_add(250))
                .collect();
            let text = base64url_encode(&bytes);
            assert!(!text.contains('='));
            assert_eq!(base64url_decode(&text).unwrap(), bytes);
        }
    }

    #[test]
    fn known_vectors_with_and_without_padding() {
        // RFC 4648 test vectors.
        assert_eq!(base64url_encode(b"foob"), "Zm9vYg");
        assert_eq!(base64url_decode("Zm9vYg==").unwrap(), b"foob");
        assert_eq!(base64url_decode("Zm9vYg").unwrap(), b"foob");
        assert_eq!(base64url_decode("Zm9vYmFy").unwrap(), b"foobar");
        // Standard and URL-safe alphabets: bytes fb ff bf.
        assert_eq!(base64url_decode("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(base64url_decode("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn hand_written_code_links_decode() {
        // btoa('console.log("hi")') in a browser: standard alphabet, padded.
        let f = parse_fragment("#code=Y29uc29sZS5sb2coImhpIik=");
        assert_eq!(f.code, Some(Ok("console.log(\"hi\")".to_string())));
        let utf8 = encode_code("console.log('héllo ✓')");
        assert_eq!(decode_code(&utf8).unwrap(), "console.log('héllo ✓')");
        // Percent-encoded padding, as some tools write it.
        assert_eq!(decode_code("Zm9vYg%3D%3D").unwrap(), "foob");
    }

    #[test]
    fn bad_code_is_reported_not_fatal() {
        let f = parse_fragment("#code=not*base64&pool=2");
        assert!(matches!(f.code, Some(Err(ref e)) if e.contains("'*'")));
        assert_eq!(f.settings.unwrap().pool, 2);
        assert!(decode_code("Zm9vY").is_err());
        assert!(decode_code("_w").is_err(), "0xff alone is not UTF-8");
    }

    #[test]
    fn fragment_round_trips_settings_and_step() {
        let settings = Settings {
            pool: 6,
            io_us: 500,
            instr_ns: 20,
            cores: 1,
            worker_start_us: 0,
            ipc_ns: 7,
            ..Settings::default()
        };
        let text = format_fragment("let x = 1;\n", &settings, Some(7));
        let f = parse_fragment(&text);
        assert_eq!(f.code, Some(Ok("let x = 1;\n".to_string())));
        assert_eq!(f.settings, Some(settings));
        assert_eq!(f.step, Some(7));
        assert_eq!(format_fragment("x", &Settings::default(), None), "#code=eA");
        assert_eq!(
            parse_fragment("#ex=queues").example.as_deref(),
            Some("queues")
        );
        assert!(parse_fragment("#ex=queues&embed").embed);
    }

    #[test]
    fn settings_keys_round_trip_and_only_changed_ones_are_written() {
        let text = format_fragment(
            "x",
            &Settings {
                cores: 1,
                ..Settings::default()
            },
            None,
        );
        assert_eq!(text, "#code=eA&cores=1");
        let f = parse_fragment("#ex=fork&cores=8&wstart=100&fork=2000&spawn=3&ipc=4&msg=5&clone=6");
        let s = f.settings.unwrap();
        assert_eq!(
            (
                s.cores,
                s.worker_start_us,
                s.fork_start_us,
                s.spawn_start_us
            ),
            (8, 100, 2000, 3)
        );
        assert_eq!((s.ipc_ns, s.message_ns, s.clone_byte_ps), (4, 5, 6));
        assert_eq!(s.pool, Settings::default().pool);
        assert!(f.warnings.is_empty());
    }

    #[test]
    fn absurd_settings_are_clamped_and_said() {
        let f = parse_fragment("#code=eA&cores=1000&pool=0&ins=99999999999999999999999&io=abc");
        let s = f.settings.unwrap();
        assert_eq!((s.cores, s.pool, s.instr_ns), (64, 1, 1_000_000));
        assert_eq!(s.io_us, Settings::default().io_us, "a word is ignored");
        assert_eq!(f.warnings.len(), 4, "{:?}", f.warnings);
        assert!(f.warnings[0].contains("cores=1000") && f.warnings[0].contains("using 64"));
        assert!(f.warnings[3].contains("io=abc") && f.warnings[3].contains("ignored"));
        assert_eq!(f.code, Some(Ok("x".into())), "the code is kept");
    }

    #[test]
    fn projects_round_trip_and_one_file_stays_a_code_link() {
        let mut project = Project::single("new Worker('./worker.js')");
        project
            .files
            .insert("worker.js".into(), "console.log('✓')".into());
        let text = format_project_fragment(&project, &Settings::default(), Some(3));
        assert!(text.starts_with("#project="), "{text}");
        let f = parse_fragment(&text);
        assert_eq!(f.project, Some(Ok(project.clone())));
        assert_eq!(f.project(), Some(Ok(project)));
        assert_eq!(f.step, Some(3));
        let single = format_project_fragment(&Project::single("x"), &Settings::default(), None);
        assert_eq!(single, "#code=eA");
        assert_eq!(
            parse_fragment(&single).project(),
            Some(Ok(Project::single("x")))
        );
        // The issue's form, written by hand with btoa (standard alphabet, padded).
        let json = r#"{"files": {"main.js": "require('./a.js')", "a.js": ""}, "main": "main.js"}"#;
        let hand = format!("#project={}", base64url_encode(json.as_bytes()));
        assert!(matches!(parse_fragment(&hand).project, Some(Ok(ref p)) if p.files.len() == 2));
    }

    #[test]
    fn bad_project_links_say_why() {
        let why = |value: &str| match parse_fragment(&format!("#project={value}&cores=2")) {
            Fragment {
                project: Some(Err(e)),
                settings: Some(s),
                ..
            } => {
                assert_eq!(s.cores, 2, "the settings still apply");
                e
            }
            other => panic!("{value}: {other:?}"),
        };
        assert!(why("not*base64").contains("'*'"));
        assert!(why(&base64url_encode(b"{oops")).contains("not valid JSON"));
        assert!(why(&base64url_encode(br#"{"files":{"a.js":""}}"#)).contains("no \"main\""));
        let many: String = (0..1000)
            .map(|i| format!("\"f{i}.js\":\"\""))
            .collect::<Vec<_>>()
            .join(",");
        let json = format!("{{\"files\":{{{many}}},\"main\":\"f0.js\"}}");
        assert!(why(&base64url_encode(json.as_bytes())).contains("1000 files"));
        assert!(why(&"A".repeat(4 << 20)).contains("too long"));
    }
}
