//! Merging the proposals of several proposers into one list the editor can show.
//!
//! The app ranks its proposers by how much it trusts them (project memory, then imported
//! predictions, the gazetteer, the rules), so an earlier list wins any overlap. Inside one list
//! the longer span wins, since a proposer that found both `مجلس الأمن الدولي` and `الأمن` meant
//! the longer name.

use std::collections::BTreeMap;

use super::Proposal;

/// Proposals of several proposers, most trusted list first, as one list sorted by start in which
/// no two proposals overlap; empty ranges are dropped.
pub fn combine(ranked: Vec<Vec<Proposal>>) -> Vec<Proposal> {
    // Accepted proposals by start; they never overlap, so only the one starting last before a
    // candidate's end can overlap it.
    let mut accepted: BTreeMap<usize, Proposal> = BTreeMap::new();
    for mut list in ranked {
        // Longest first, then by start; the sort is stable, so equal spans keep the list's order.
        list.sort_by_key(|p| (std::cmp::Reverse(p.range.len()), p.range.start));
        for proposal in list {
            if proposal.range.is_empty() {
                continue;
            }
            let overlaps = accepted.range(..proposal.range.end).next_back().is_some_and(|(_, q)| q.range.end > proposal.range.start);
            if !overlaps {
                accepted.insert(proposal.range.start, proposal);
            }
        }
    }
    accepted.into_values().collect()
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;

    fn p(range: Range<usize>, label: &str, source: &str) -> Proposal {
        Proposal { range, label: label.to_owned(), score: 0.5, source: source.to_owned() }
    }

    fn summary(proposals: &[Proposal]) -> Vec<(Range<usize>, &str, &str)> {
        proposals.iter().map(|p| (p.range.clone(), p.label.as_str(), p.source.as_str())).collect()
    }

    #[test]
    fn earlier_lists_win_overlaps() {
        let memory = vec![p(10..20, "ORG", "memory")];
        let gazetteer = vec![p(0..5, "LOC", "gazetteer"), p(15..30, "LOC", "gazetteer")];
        let rules = vec![p(18..22, "PERS", "rules"), p(30..35, "PERS", "rules")];
        let out = combine(vec![memory, gazetteer, rules]);
        assert_eq!(summary(&out), vec![(0..5, "LOC", "gazetteer"), (10..20, "ORG", "memory"), (30..35, "PERS", "rules"),]);
    }

    #[test]
    fn within_a_list_the_longer_span_wins() {
        let list = vec![p(4..8, "LOC", "rules"), p(0..12, "ORG", "rules"), p(11..15, "PERS", "rules"), p(20..22, "LOC", "rules")];
        let out = combine(vec![list]);
        assert_eq!(summary(&out), vec![(0..12, "ORG", "rules"), (20..22, "LOC", "rules")]);
    }

    #[test]
    fn touching_spans_both_stay_and_output_is_sorted() {
        let out = combine(vec![vec![p(5..10, "LOC", "a")], vec![p(10..12, "PERS", "b"), p(0..5, "ORG", "b")]]);
        assert_eq!(summary(&out), vec![(0..5, "ORG", "b"), (5..10, "LOC", "a"), (10..12, "PERS", "b")]);
    }

    #[test]
    fn a_later_span_containing_an_earlier_one_is_dropped() {
        // The later list's span covers the accepted one entirely: the check must see it even
        // though the accepted span starts after the candidate.
        let out = combine(vec![vec![p(5..7, "LOC", "a")], vec![p(0..20, "ORG", "b"), p(2..6, "PERS", "b")]]);
        assert_eq!(summary(&out), vec![(5..7, "LOC", "a")]);
    }

    #[test]
    fn empty_input_and_empty_ranges() {
        assert!(combine(Vec::new()).is_empty());
        assert!(combine(vec![Vec::new(), vec![p(3..3, "LOC", "a")]]).is_empty());
    }
}
