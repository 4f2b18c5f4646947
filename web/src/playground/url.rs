//! The page's state in the URL fragment, so a link replays a run exactly.
//!
//! Format: `#code=<base64url of the UTF-8 source>&pool=4&io=1000&ins=10&step=12`, or
//! `#ex=<example slug>` instead of `code`. Every key is optional. `code` is meant to be written
//! by hand too: padding (`=`) may be present or not, and the standard alphabet (`+`, `/`) is
//! accepted as well as the URL-safe one (`-`, `_`). A value that does not decode is reported,
//! and nothing else is lost.

use super::protocol::Settings;

/// What a fragment asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    /// The decoded source, or why it could not be decoded.
    pub code: Option<Result<String, String>>,
    /// A gallery example to open (when there is no `code`).
    pub example: Option<String>,
    /// Settings present in the fragment, applied over the defaults.
    pub settings: Option<Settings>,
    /// The step to show.
    pub step: Option<usize>,
    /// `embed` in the fragment (also accepted as `?embed` in the query).
    pub embed: bool,
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
            "ex" if !value.is_empty() => f.example = Some(value.to_string()),
            "pool" => {
                if let Ok(n) = value.parse() {
                    settings.pool = n;
                    any_setting = true;
                }
            }
            "io" => {
                if let Ok(n) = value.parse() {
                    settings.io_us = n;
                    any_setting = true;
                }
            }
            "ins" => {
                if let Ok(n) = value.parse() {
                    settings.instr_ns = n;
                    any_setting = true;
                }
            }
            "step" => f.step = value.parse().ok(),
            "embed" => f.embed = true,
            _ => {}
        }
    }
    if any_setting {
        f.settings = Some(settings.clamped());
    }
    f
}

/// Builds the fragment for the current page state (settings only when not the defaults).
pub fn format_fragment(source: &str, settings: &Settings, step: Option<usize>) -> String {
    let mut out = format!("#code={}", encode_code(source));
    if *settings != Settings::default() {
        out.push_str(&format!(
            "&pool={}&io={}&ins={}",
            settings.pool, settings.io_us, settings.instr_ns
        ));
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
}
