//! Steward's configuration file: one TOML file, environment overrides, errors that name the line and key.
