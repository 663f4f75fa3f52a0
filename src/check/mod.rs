//! Static checks over finished templates.
