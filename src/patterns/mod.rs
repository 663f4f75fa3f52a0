//! Reusable compositions with secure defaults, at the level of AWS Solutions
//! Constructs: a function with its role and log group, grants that write
//! least-privilege statements, and so on.
