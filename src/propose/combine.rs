//! Proposals of several proposers merged into one non-overlapping list.

use super::Proposal;

/// Merges ranked proposal lists: earlier lists win overlaps, within a list the longer span wins.
pub fn combine(ranked: Vec<Vec<Proposal>>) -> Vec<Proposal> {
    let mut candidates: Vec<(usize, Proposal)> =
        ranked.into_iter().enumerate().flat_map(|(rank, list)| list.into_iter().map(move |p| (rank, p))).collect();
    candidates.sort_by(|(ra, a), (rb, b)| ra.cmp(rb).then((b.range.end - b.range.start).cmp(&(a.range.end - a.range.start))).then(a.range.start.cmp(&b.range.start)));
    let mut out: Vec<Proposal> = Vec::new();
    for (_, proposal) in candidates {
        if !out.iter().any(|p| p.range.start < proposal.range.end && proposal.range.start < p.range.end) {
            out.push(proposal);
        }
    }
    out.sort_by_key(|p| p.range.start);
    out
}
