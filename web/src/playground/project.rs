//! A playground project: several files, one of which (`main`, `main.js` unless said otherwise)
//! is the program that runs. The others are there for it to load: `new Worker('./worker.js')`,
//! `fork('./child.js')` and `fs.readFileSync('./data.txt')` resolve inside the project, because
//! every file is handed to the simulator as a virtual file next to the main one
//! (`RunOptions::files`, as `looplab run` does with the files next to its script). (The core has
//! no loader for `require('./file.js')` yet: that is a "Cannot find module" as in `looplab run`.)
//!
//! A project travels as JSON, `{"files": {"main.js": "...", "worker.js": "..."}, "main":
//! "main.js"}` (in `#project=` links, base64url-encoded by [`super::url`], and in localStorage).
//! Reading one never trusts it: the names, the number of files and their sizes are checked, and
//! whatever is wrong is said in a sentence ([`Project::from_json`]). Pure: tested natively.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The name of the file that runs when nothing else is said.
pub const DEFAULT_MAIN: &str = "main.js";
/// At most this many files in a project.
pub const MAX_FILES: usize = 64;
/// At most this many bytes of text in one file.
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// At most this many bytes of text in the whole project.
pub const MAX_PROJECT_BYTES: usize = 2 << 20;
/// At most this many characters in a file name (folders included).
pub const MAX_NAME_CHARS: usize = 100;

/// Every file of a project, and which one runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// File name (relative, `/` between folders) → text. The main file is one of them.
    pub files: BTreeMap<String, String>,
    /// The file that runs (`node main.js`).
    pub main: String,
}

/// The JSON as written by hand: `main` may be left out when there is a `main.js`.
#[derive(Deserialize)]
struct Wire {
    files: Option<BTreeMap<String, String>>,
    main: Option<String>,
}

impl Project {
    /// A project of one file, `main.js`.
    pub fn single(code: impl Into<String>) -> Project {
        Project {
            files: BTreeMap::from([(DEFAULT_MAIN.to_string(), code.into())]),
            main: DEFAULT_MAIN.to_string(),
        }
    }

    /// The main file's text.
    pub fn main_text(&self) -> &str {
        self.files.get(&self.main).map_or("", String::as_str)
    }

    /// Whether this is a one-file program named `main.js` (what a `#code=` link carries).
    pub fn is_single(&self) -> bool {
        self.files.len() == 1 && self.main == DEFAULT_MAIN
    }

    /// The files other than the main one, by name.
    pub fn others(&self) -> impl Iterator<Item = (&String, &String)> {
        self.files
            .iter()
            .filter(move |(name, _)| **name != self.main)
    }

    /// The project as the simulator sees it: the main file's absolute path and the other files
    /// at theirs, all in `/` (the working directory of a playground run).
    pub fn run_paths(&self) -> (String, Vec<(String, String)>) {
        let files = self
            .others()
            .map(|(name, text)| (format!("/{name}"), text.clone()))
            .collect();
        (format!("/{}", self.main), files)
    }

    /// The project as JSON (`{"files": {...}, "main": "..."}`).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads and checks a project's JSON; says what is wrong otherwise.
    pub fn from_json(text: &str) -> Result<Project, String> {
        if text.len() > MAX_PROJECT_BYTES + MAX_FILES * 256 {
            return Err(format!(
                "the project is too large ({} KB; at most {} KB of text)",
                text.len() / 1024,
                MAX_PROJECT_BYTES / 1024
            ));
        }
        let wire: Wire = serde_json::from_str(text).map_err(|e| {
            format!("the project is not valid JSON of the form {{\"files\": {{…}}, \"main\": \"main.js\"}} ({e})")
        })?;
        let files = wire
            .files
            .ok_or("the project has no \"files\" (an object of file name → text)")?;
        let main = match wire.main {
            Some(main) => main,
            None if files.contains_key(DEFAULT_MAIN) => DEFAULT_MAIN.to_string(),
            None => {
                return Err(
                    "the project names no \"main\" file to run and has no main.js".to_string(),
                )
            }
        };
        let project = Project { files, main };
        project.check()?;
        Ok(project)
    }

    /// Checks the limits and names; says what is wrong otherwise.
    pub fn check(&self) -> Result<(), String> {
        if self.files.is_empty() {
            return Err("the project has no files".into());
        }
        if self.files.len() > MAX_FILES {
            return Err(format!(
                "the project has {} files; at most {MAX_FILES} are allowed",
                self.files.len()
            ));
        }
        let mut total = 0;
        for (name, text) in &self.files {
            check_name(name)?;
            if text.len() > MAX_FILE_BYTES {
                return Err(format!(
                    "{name} is too large ({} KB; at most {} KB per file)",
                    text.len() / 1024,
                    MAX_FILE_BYTES / 1024
                ));
            }
            total += text.len();
        }
        if total > MAX_PROJECT_BYTES {
            return Err(format!(
                "the project is too large ({} KB; at most {} KB of text)",
                total / 1024,
                MAX_PROJECT_BYTES / 1024
            ));
        }
        if !self.files.contains_key(&self.main) {
            return Err(format!(
                "the main file \"{}\" is not one of the project's files",
                self.main
            ));
        }
        Ok(())
    }
}

/// Whether `name` can name a project file: a relative path of 1 to [`MAX_NAME_CHARS`]
/// characters made of letters, digits, `.`, `_`, `-` and `/` between folders (no empty, `.` or
/// `..` part). Says why not otherwise.
pub fn check_name(name: &str) -> Result<(), String> {
    let shown: String = name.chars().take(40).collect();
    if name.is_empty() {
        return Err("a file name cannot be empty".into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "the file name \"{shown}…\" is too long (at most {MAX_NAME_CHARS} characters)"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/')))
    {
        return Err(format!(
            "the file name \"{shown}\" has {c:?}: use letters, digits, '.', '_', '-' (and '/' between folders)"
        ));
    }
    if name
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err(format!(
            "the file name \"{shown}\" is not a path inside the project (no leading '/', no '.' or '..' folders)"
        ));
    }
    Ok(())
}

/// A name for a new file that is not taken yet: `worker.js`, then `file2.js`, `file3.js`, …
pub fn fresh_name<'a>(taken: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let free = |name: &str| !taken.clone().into_iter().any(|t| t == name);
    if free("worker.js") {
        return "worker.js".into();
    }
    (2..)
        .map(|n| format!("file{n}.js"))
        .find(|n| free(n))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trips_and_main_defaults_to_main_js() {
        let mut project = Project::single("new Worker('./worker.js');\n");
        project
            .files
            .insert("worker.js".into(), "console.log('héllo ✓')\n".into());
        let json = project.to_json();
        assert!(json.contains("\"main\":\"main.js\""), "{json}");
        assert_eq!(Project::from_json(&json).unwrap(), project);
        let hand = r#"{"files": {"main.js": "1", "lib/util.js": "2"}}"#;
        let p = Project::from_json(hand).unwrap();
        assert_eq!(p.main, "main.js");
        assert_eq!(p.others().count(), 1);
        assert!(!p.is_single() && Project::single("x").is_single());
        let (main, files) = p.run_paths();
        assert_eq!(main, "/main.js");
        assert_eq!(files, [("/lib/util.js".to_string(), "2".to_string())]);
        let other = Project::from_json(r#"{"files": {"app.js": "1"}, "main": "app.js"}"#).unwrap();
        assert_eq!((other.main_text(), other.is_single()), ("1", false));
    }

    #[test]
    fn bad_projects_say_what_is_wrong() {
        let err = |json: &str| Project::from_json(json).unwrap_err();
        assert!(err("not json").contains("not valid JSON"));
        assert!(err("[1, 2]").contains("not valid JSON"));
        assert!(err(r#"{"main": "main.js"}"#).contains("no \"files\""));
        assert!(err(r#"{"files": {}}"#).contains("no \"main\""));
        assert!(err(r#"{"files": {}, "main": "main.js"}"#).contains("no files"));
        assert!(err(r#"{"files": {"a.js": "1"}}"#).contains("no \"main\""));
        assert!(err(r#"{"files": {"a.js": "1"}, "main": "b.js"}"#).contains("\"b.js\" is not"));
        assert!(err(r#"{"files": {"main.js": 1}}"#).contains("not valid JSON"));
        assert!(err(r#"{"files": {"../etc/passwd": "", "main.js": ""}}"#)
            .contains("inside the project"));
        assert!(err(r#"{"files": {"a b.js": "", "main.js": ""}}"#).contains("' '"));
        let many: BTreeMap<String, String> = (0..1000)
            .map(|i| (format!("f{i}.js"), String::new()))
            .collect();
        let json = serde_json::json!({ "files": many, "main": "f0.js" }).to_string();
        assert!(err(&json).contains("1000 files"), "{}", err(&json));
        let big = "x".repeat(MAX_FILE_BYTES + 1);
        let json = serde_json::json!({ "files": { "main.js": big } }).to_string();
        assert!(err(&json).contains("too large"));
        let huge = "x".repeat(MAX_PROJECT_BYTES * 2);
        assert!(err(&huge).contains("too large"));
    }

    #[test]
    fn names_are_relative_paths_of_plain_characters() {
        for good in [
            "main.js",
            "worker.js",
            "lib/util.js",
            ".env",
            "data-1_a.txt",
        ] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        for bad in [
            "", "/abs.js", "a//b.js", "a/./b", "../up.js", "dir/", "é.js", "a\"b",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_name(&"a".repeat(101))
            .unwrap_err()
            .contains("too long"));
    }

    #[test]
    fn fresh_names_are_free() {
        assert_eq!(fresh_name(["main.js"]), "worker.js");
        assert_eq!(fresh_name(["main.js", "worker.js"]), "file2.js");
        assert_eq!(fresh_name(["main.js", "worker.js", "file2.js"]), "file3.js");
    }
}
