//! Tags of the sequence model: `O` and, per label, BIO or BIOES tags; entities to tags and back.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// How entities are written as token tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TagScheme {
    /// `B-X` opens an entity, `I-X` continues it.
    Bio,
    /// Also `E-X` on the last token of a longer entity and `S-X` for a one-token entity.
    Bioes,
}

/// Where a tag stands in an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Outside every entity.
    Outside,
    /// First token of an entity that goes on (in BIO: first token of any entity).
    Begin,
    /// A token inside, after the first (in BIO: any token after the first).
    Inside,
    /// Last token of an entity of several tokens (BIOES only).
    End,
    /// The only token of an entity (BIOES only).
    Single,
}

/// The tags of a model: `O` is tag 0, then each label's tags in the scheme's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagSet {
    /// The scheme.
    pub scheme: TagScheme,
    /// Label names, in tag order.
    pub labels: Vec<String>,
}

impl TagSet {
    /// The tags of `labels` under `scheme`.
    pub fn new(scheme: TagScheme, labels: Vec<String>) -> Self {
        TagSet { scheme, labels }
    }

    fn parts(&self) -> &'static [Part] {
        match self.scheme {
            TagScheme::Bio => &[Part::Begin, Part::Inside],
            TagScheme::Bioes => &[Part::Begin, Part::Inside, Part::End, Part::Single],
        }
    }

    /// Number of tags.
    pub fn len(&self) -> usize {
        1 + self.labels.len() * self.parts().len()
    }

    /// True when there is only `O`.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The tag of a part of an entity of label index `label`.
    pub fn tag(&self, part: Part, label: usize) -> usize {
        match part {
            Part::Outside => 0,
            _ => 1 + label * self.parts().len() + self.parts().iter().position(|&p| p == part).unwrap_or(0),
        }
    }

    /// Part and label index of a tag (`None` for `O`).
    pub fn part(&self, tag: usize) -> (Part, Option<usize>) {
        if tag == 0 {
            return (Part::Outside, None);
        }
        let n = self.parts().len();
        (self.parts()[(tag - 1) % n], Some((tag - 1) / n))
    }

    /// `O`, `B-LOC`, `E-PERS`, …
    pub fn name(&self, tag: usize) -> String {
        let (part, label) = self.part(tag);
        let prefix = match part {
            Part::Outside => return "O".to_owned(),
            Part::Begin => "B-",
            Part::Inside => "I-",
            Part::End => "E-",
            Part::Single => "S-",
        };
        format!("{prefix}{}", label.and_then(|l| self.labels.get(l)).map_or("?", String::as_str))
    }

    /// Whether `next` may follow `prev` (`None` for the sentence start or end).
    pub fn allowed(&self, prev: Option<usize>, next: Option<usize>) -> bool {
        let (pp, pl) = prev.map_or((Part::Outside, None), |t| self.part(t));
        let (np, nl) = next.map_or((Part::Outside, None), |t| self.part(t));
        // Whether `prev` leaves an entity open that must go on.
        let open = match self.scheme {
            TagScheme::Bio => false,
            TagScheme::Bioes => matches!(pp, Part::Begin | Part::Inside),
        };
        let continues = matches!(np, Part::Inside | Part::End);
        match (open, continues) {
            (true, true) => pl == nl,
            (true, false) => false,
            (false, true) => match self.scheme {
                TagScheme::Bio => matches!(pp, Part::Begin | Part::Inside) && pl == nl,
                TagScheme::Bioes => false,
            },
            (false, false) => true,
        }
    }

    /// Tags of `len` tokens holding `entities` (token ranges with label index; overlapping ones
    /// after the first are left out).
    pub fn encode(&self, len: usize, entities: &[(Range<usize>, usize)]) -> Vec<u16> {
        let mut tags = vec![0u16; len];
        for (range, label) in entities {
            if range.is_empty() || range.end > len || tags[range.clone()].iter().any(|&t| t != 0) {
                continue;
            }
            for i in range.clone() {
                let part = match (self.scheme, i == range.start, i + 1 == range.end) {
                    (TagScheme::Bioes, true, true) => Part::Single,
                    (TagScheme::Bioes, false, true) => Part::End,
                    (_, true, _) => Part::Begin,
                    _ => Part::Inside,
                };
                tags[i] = self.tag(part, *label) as u16;
            }
        }
        tags
    }

    /// The entities in `tags` as token ranges with label index, read leniently (an `I-` without
    /// its `B-` opens an entity, as conlleval reads it).
    pub fn decode(&self, tags: &[u16]) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        let mut open: Option<(usize, usize)> = None;
        for (i, &tag) in tags.iter().enumerate() {
            let (part, label) = self.part(tag as usize);
            let continues = matches!(part, Part::Inside | Part::End) && open.is_some_and(|(_, l)| Some(l) == label);
            if !continues && let Some((start, l)) = open.take() {
                out.push((start..i, l));
            }
            if let Some(label) = label
                && !continues
            {
                open = Some((i, label));
            }
            if matches!(part, Part::End | Part::Single)
                && let Some((start, l)) = open.take()
            {
                out.push((start..i + 1, l));
            }
        }
        if let Some((start, l)) = open {
            out.push((start..tags.len(), l));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(scheme: TagScheme) -> TagSet {
        TagSet::new(scheme, vec!["LOC".into(), "PERS".into()])
    }

    #[test]
    fn encode_decode_round_trip_in_both_schemes() {
        let entities = vec![(0..1, 0), (2..5, 1), (5..6, 1)];
        for scheme in [TagScheme::Bio, TagScheme::Bioes] {
            let tags = set(scheme);
            let encoded = tags.encode(7, &entities);
            assert_eq!(tags.decode(&encoded), entities, "{scheme:?}");
        }
        let bioes = set(TagScheme::Bioes);
        let names: Vec<String> = bioes.encode(7, &entities).iter().map(|&t| bioes.name(t as usize)).collect();
        assert_eq!(names, ["S-LOC", "O", "B-PERS", "I-PERS", "E-PERS", "S-PERS", "O"]);
        assert_eq!(bioes.len(), 9);
        assert_eq!(set(TagScheme::Bio).len(), 5);
    }

    #[test]
    fn transitions_follow_the_scheme() {
        let bio = set(TagScheme::Bio);
        let (b_loc, i_loc, i_pers) = (bio.tag(Part::Begin, 0), bio.tag(Part::Inside, 0), bio.tag(Part::Inside, 1));
        assert!(bio.allowed(Some(b_loc), Some(i_loc)));
        assert!(!bio.allowed(Some(b_loc), Some(i_pers)));
        assert!(!bio.allowed(None, Some(i_loc)));
        assert!(bio.allowed(Some(i_loc), None));
        let bioes = set(TagScheme::Bioes);
        let (b, e, s) = (bioes.tag(Part::Begin, 0), bioes.tag(Part::End, 0), bioes.tag(Part::Single, 0));
        assert!(bioes.allowed(Some(b), Some(e)));
        assert!(!bioes.allowed(Some(b), None), "an open entity must end");
        assert!(!bioes.allowed(Some(b), Some(s)));
        assert!(bioes.allowed(Some(e), Some(s)));
    }
}
