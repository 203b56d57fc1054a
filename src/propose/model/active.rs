//! Active learning.
