//! The learned proposer: a linear-chain sequence labeller trained on the project's annotations.

pub mod clusters;
