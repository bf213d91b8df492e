//! Field-scoped queries, wherever one searches: `title:cto org:acme tag:investor due:yes`, with
//! free words beside them as before. A value may be quoted (`title:"vp eng"`); a word whose
//! field kith does not know (`http://x`, `10:30`) is a free word.

/// A query taken apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scoped {
    /// The words that name no field, in order, joined by spaces.
    pub free: String,
    pub title: Vec<String>,
    /// `org:` or `company:`: the lead's or customer's name.
    pub org: Vec<String>,
    pub tag: Vec<String>,
    pub email: Vec<String>,
    /// `due:yes` / `due:no`.
    pub due: Option<bool>,
}

impl Scoped {
    /// True when the query names a field.
    pub fn has_fields(&self) -> bool {
        !(self.title.is_empty()
            && self.org.is_empty()
            && self.tag.is_empty()
            && self.email.is_empty()
            && self.due.is_none())
    }
}

/// The words of `query`, a quoted stretch being one word (its quotes removed).
fn words(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in query.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

pub fn parse(query: &str) -> Scoped {
    let mut s = Scoped::default();
    let mut free: Vec<String> = Vec::new();
    for w in words(query) {
        let Some((field, value)) = w.split_once(':') else {
            free.push(w);
            continue;
        };
        let value = value.trim().to_string();
        let known = match field.to_ascii_lowercase().as_str() {
            "title" => Some(&mut s.title),
            "org" | "company" => Some(&mut s.org),
            "tag" => Some(&mut s.tag),
            "email" => Some(&mut s.email),
            "due" => {
                match value.to_ascii_lowercase().as_str() {
                    "yes" | "y" | "true" | "1" => s.due = Some(true),
                    "no" | "n" | "false" | "0" => s.due = Some(false),
                    _ => free.push(w.clone()),
                }
                continue;
            }
            _ => None,
        };
        match known {
            Some(list) if !value.is_empty() => list.push(value),
            // `title:` with nothing after it yet (typed on): not a word to look for.
            Some(_) => {}
            None => free.push(w),
        }
    }
    s.free = free.join(" ");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_free_words() {
        let s = parse("title:cto org:acme tag:investor due:yes ada");
        assert_eq!(s.title, ["cto"]);
        assert_eq!(s.org, ["acme"]);
        assert_eq!(s.tag, ["investor"]);
        assert_eq!(s.due, Some(true));
        assert_eq!(s.free, "ada");
        assert!(s.has_fields());
    }

    #[test]
    fn quotes_unknown_fields_and_half_typed_ones() {
        let s = parse(r#"title:"vp eng" company:Initech http://x.example 10:30 due:maybe org:"#);
        assert_eq!(s.title, ["vp eng"]);
        assert_eq!(s.org, ["Initech"]);
        assert_eq!(s.free, "http://x.example 10:30 due:maybe");
        assert_eq!(parse("grace hopper").free, "grace hopper");
        assert!(!parse("grace").has_fields());
    }
}
