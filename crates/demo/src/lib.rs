//! A deterministic synthetic community for 'steward demo': groups in Chinese, Russian and English, members, talk, spam waves.
