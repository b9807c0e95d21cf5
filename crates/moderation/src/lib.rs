//! The moderation engine: rules compiled into one matcher, verdicts that explain themselves, the penalty ladder. No IO.
