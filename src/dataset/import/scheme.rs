//! Strict tagging schemes for CoNLL imports.
//!
//! The CoNLL reader is lenient on purpose (an `I-X` with nothing open opens an entity, as
//! conlleval reads IOB1); a gold corpus said to be IOB2 or BIOES should not quietly be read that
//! way when it breaks its scheme, since a stray `I-` is often a tagging mistake. These checks
//! look at the tags alone; what the entities are is still the reader's business.

/// How strictly the tags of a CoNLL file are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Scheme {
    /// Lenient: `I-X` after `O` or another label opens an entity (IOB1, and what conlleval does).
    #[default]
    Iob1,
    /// Every entity starts with `B-`: an `I-X` must follow `B-X` or `I-X`.
    Iob2,
    /// `B-` `I-`… `E-` for several tokens, `S-` for one (BILOU's `L-` and `U-` accepted too).
    Bioes,
}

impl Scheme {
    /// Its name in messages.
    fn name(self) -> &'static str {
        match self {
            Scheme::Iob1 => "IOB1",
            Scheme::Iob2 => "IOB2",
            Scheme::Bioes => "BIOES",
        }
    }
}

/// The tags of one sentence that break `scheme`: the index of the token the broken entity starts
/// at (or holds) and what is wrong, e.g. `I-LOC without B-LOC (IOB2)`.
pub(super) fn violations(tags: &[&str], scheme: Scheme) -> Vec<(usize, String)> {
    if scheme == Scheme::Iob1 {
        return Vec::new();
    }
    // (prefix, label), with BILOU's letters read as BIOES's; `O` and malformed tags (which the
    // reader has already refused) as ("O", "").
    let parsed: Vec<(&str, &str)> = tags
        .iter()
        .map(|tag| match tag.split_once('-') {
            Some(("L", label)) => ("E", label),
            Some(("U", label)) => ("S", label),
            Some((prefix, label)) => (prefix, label),
            None => ("O", ""),
        })
        .collect();
    let continues = |i: usize, label: &str| i > 0 && matches!(parsed[i - 1], (p, l) if l == label && matches!(p, "B" | "I"));
    let mut found = Vec::new();
    for (i, &(prefix, label)) in parsed.iter().enumerate() {
        let tag = tags[i];
        let problem = match (scheme, prefix) {
            (_, "O") => None,
            (Scheme::Iob2, "E" | "S") => Some(format!("{tag} is not an IOB2 tag")),
            (_, "I" | "E") if !continues(i, label) => Some(format!("{tag} without B-{label}")),
            (Scheme::Bioes, "B" | "I") => {
                let closed = matches!(parsed.get(i + 1), Some((p, l)) if *l == label && matches!(*p, "I" | "E"));
                (!closed).then(|| format!("{tag} not closed by E-{label}"))
            }
            _ => None,
        };
        if let Some(problem) = problem {
            found.push((i, format!("{problem} ({})", scheme.name())));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(tags: &str, scheme: Scheme) -> Vec<(usize, String)> {
        violations(&tags.split(' ').collect::<Vec<_>>(), scheme)
    }

    #[test]
    fn iob1_is_lenient() {
        assert_eq!(check("O I-LOC I-LOC B-LOC", Scheme::Iob1), []);
    }

    #[test]
    fn iob2_wants_a_b_before_every_i() {
        assert_eq!(check("B-PERS I-PERS O B-LOC", Scheme::Iob2), []);
        assert_eq!(
            check("O I-LOC I-LOC B-ORG I-PERS", Scheme::Iob2),
            [(1, "I-LOC without B-LOC (IOB2)".to_owned()), (4, "I-PERS without B-PERS (IOB2)".to_owned()),]
        );
        assert_eq!(check("I-LOC", Scheme::Iob2)[0].0, 0, "a sentence may not start inside an entity");
        assert_eq!(check("S-LOC", Scheme::Iob2), [(0, "S-LOC is not an IOB2 tag (IOB2)".to_owned())]);
    }

    #[test]
    fn bioes_wants_entities_opened_and_closed() {
        assert_eq!(check("B-PERS I-PERS E-PERS S-LOC O B-ORG L-ORG U-LOC", Scheme::Bioes), []);
        assert_eq!(
            check("B-PERS O E-LOC B-ORG I-ORG", Scheme::Bioes),
            [
                (0, "B-PERS not closed by E-PERS (BIOES)".to_owned()),
                (2, "E-LOC without B-LOC (BIOES)".to_owned()),
                (4, "I-ORG not closed by E-ORG (BIOES)".to_owned()),
            ]
        );
    }
}
