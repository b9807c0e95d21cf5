//! The model through its public API: learning, near duplicates, bytes and
//! their errors, evaluation. Every text here is written for the test.

use steward_classifier::{
    Label, Model, ModelConfig, ModelError, evaluate, parse_labeled_tsv, simhash,
};

const SPAM: &[&str] = &[
    "Earn $500 a day from home, DM me for details",
    "Crypto airdrop! Claim free USDT now at https://claim.example/abc",
    "兼职刷单日结300，加微信 abc123",
    "Заработок от 5000 в день, пиши в лс",
    "Free gift cards for the first 50 people, click https://gift.example",
];

const HAM: &[&str] = &[
    "Has anyone tried the new release of tokio?",
    "See you at the meetup tomorrow evening",
    "今天的拿铁有点苦，下次换燕麦奶试试",
    "Кто-нибудь пробовал axum с sqlx?",
    "Thanks, the fix worked for me",
];

fn trained() -> Model {
    let mut model = Model::new(ModelConfig {
        bucket_bits: 16,
        ..ModelConfig::default()
    });
    for _ in 0..3 {
        for text in SPAM {
            model.learn(text, Label::Spam);
        }
        for text in HAM {
            model.learn(text, Label::Ham);
        }
    }
    // Only the Bayes part: a known-spam match would decide on its own.
    model.near_dup_mut().clear();
    model
}

#[test]
fn an_empty_model_is_undecided_and_an_empty_text_is_ham() {
    let model = Model::default();
    let v = model.classify("anything at all");
    assert!((v.spam_probability - 0.5).abs() < 1e-6, "{v:?}");
    let v = model.classify("");
    assert_eq!(v.spam_probability, 0.0);
    assert!(!v.is_spam);
    assert!(!model.classify("\u{200B}\u{200B}").is_spam);
}

#[test]
fn learning_moves_the_probability() {
    let mut model = Model::default();
    let text = "Limited offer: cheap followers for your channel, write to the manager";
    let similar = "Cheap followers for your channel, limited offer";
    let before = model.spam_probability(similar);
    model.learn(text, Label::Spam);
    let after_spam = model.spam_probability(similar);
    assert!(after_spam > before, "{before} -> {after_spam}");

    let mut other = Model::default();
    other.learn(text, Label::Ham);
    assert!(other.spam_probability(similar) < before);

    // Forgetting takes the decision back.
    model.forget(text, Label::Spam);
    assert_eq!(model.spam_probability(similar), before);
    assert_eq!(model.stats(), Model::default().stats());
}

#[test]
fn a_trained_model_separates_what_it_learned() {
    let model = trained();
    for text in SPAM {
        assert!(model.classify(text).spam_probability > 0.5, "{text}");
    }
    for text in HAM {
        assert!(model.classify(text).spam_probability < 0.5, "{text}");
    }
}

#[test]
fn learned_spam_is_found_again_when_lightly_edited() {
    let mut model = Model::default();
    let spam = "Hello everyone! I made $12,000 in one week with Mr. Hayes and his trading signals, \
                contact him on WhatsApp +1 555 0101 or https://signals.example/join";
    let edited = "Hello everyone!! I made $15,000 in one week with Mr. Hayes and his trading signals, \
                  contact him on WhatsApp +1 555 0199 or https://signals-vip.example/go";
    let unrelated =
        "Does anyone know whether the meetup next week is in the same place as last time?";
    let id = model.learn(spam, Label::Spam);
    assert!(id.is_some(), "a long spam text is remembered");
    let v = model.classify(edited);
    let found = v
        .near_duplicate
        .unwrap_or_else(|| panic!("no near duplicate: {v:?}"));
    assert_eq!(Some(found.id), id);
    assert!(found.distance <= 3);
    assert!(v.is_spam);
    assert_eq!(model.classify(unrelated).near_duplicate, None);

    // An admin says a text like it is fine: the fingerprint goes.
    model.learn(edited, Label::Ham);
    assert_eq!(model.classify(spam).near_duplicate, None);
}

#[test]
fn short_texts_are_not_remembered_as_known_spam() {
    let mut model = Model::default();
    assert_eq!(model.learn("hi all", Label::Spam), None);
    assert!(model.near_dup().is_empty());
}

#[test]
fn bytes_round_trip() {
    let mut model = trained();
    model.set_threshold(0.8);
    model.learn(
        "A long enough spam message to get a fingerprint of its own, surely",
        Label::Spam,
    );
    let bytes = model.to_bytes();
    let again = Model::from_bytes(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.to_bytes(), bytes);
    assert_eq!(again.threshold(), 0.8);
    assert_eq!(again.stats(), model.stats());
    for text in SPAM.iter().chain(HAM) {
        assert_eq!(again.classify(text), model.classify(text), "{text}");
    }
}

#[test]
fn corrupt_bytes_give_clear_errors() {
    let bytes = trained().to_bytes();

    assert!(matches!(
        Model::from_bytes(&[]),
        Err(ModelError::Truncated { .. })
    ));
    assert_eq!(
        Model::from_bytes(b"PK\x03\x04 a zip file").err(),
        Some(ModelError::BadMagic)
    );
    assert_eq!(Model::from_bytes(b"{}").err(), Some(ModelError::BadMagic));

    let mut newer = bytes.clone();
    newer[8] = 9;
    assert_eq!(
        Model::from_bytes(&newer).err(),
        Some(ModelError::UnsupportedVersion {
            found: 9,
            supported: 1
        })
    );

    let mut scheme = bytes.clone();
    scheme[10] = 77;
    assert!(matches!(
        Model::from_bytes(&scheme),
        Err(ModelError::FeatureScheme { found: 77, .. })
    ));

    let cut = &bytes[..bytes.len() - 10];
    let err = Model::from_bytes(cut).err();
    assert!(
        matches!(
            err,
            Some(ModelError::Truncated {
                what: "the body",
                ..
            })
        ),
        "{err:?}"
    );

    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    assert!(matches!(
        Model::from_bytes(&flipped),
        Err(ModelError::Checksum { .. })
    ));

    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        Model::from_bytes(&longer),
        Err(ModelError::Corrupt(_))
    ));

    // The messages say what is wrong.
    let message = Model::from_bytes(cut).err().map(|e| e.to_string());
    assert!(message.is_some_and(|m| m.contains("truncated")));
}

#[test]
fn evaluation_counts_and_scores() {
    let model = trained();
    let labeled: Vec<(bool, &str)> = SPAM
        .iter()
        .map(|t| (true, *t))
        .chain(HAM.iter().map(|t| (false, *t)))
        .collect();
    let m = evaluate(&model, labeled.iter().copied(), 0.5);
    assert_eq!((m.tp, m.fp, m.tn, m.fn_, m.n), (5, 0, 5, 0, 10));
    assert_eq!(
        (m.precision, m.recall, m.f1, m.accuracy),
        (1.0, 1.0, 1.0, 1.0)
    );

    // Threshold 1 calls nothing spam; 0 calls everything spam.
    let none = evaluate(&model, labeled.iter().copied(), 1.0);
    assert_eq!((none.tp, none.fp), (0, 0));
    let all = evaluate(&model, labeled.iter().copied(), 0.0);
    assert_eq!((all.tp, all.fp), (5, 5));
}

#[test]
fn a_labeled_file_goes_straight_into_evaluate() {
    let file = "# made up\nspam\tEarn $500 a day from home, DM me for details\nham\tSee you at the meetup tomorrow evening\n";
    let labeled = parse_labeled_tsv(file).unwrap_or_else(|e| panic!("{e}"));
    let m = evaluate(
        &trained(),
        labeled.iter().map(|(s, t)| (*s, t.as_str())),
        0.5,
    );
    assert_eq!(m.n, 2);
    let json = serde_json::to_string(&m).unwrap_or_default();
    assert!(
        json.contains("\"precision\":1.0") && json.contains("\"fn\":0"),
        "{json}"
    );
}

#[test]
fn explanations_point_into_the_text() {
    let model = trained();
    let text = "Earn $500 a day from home, DM me for details";
    let e = model.explain(text, 5);
    assert_eq!(e.verdict, model.classify(text));
    assert!(!e.evidence.is_empty());
    assert!(e.evidence.len() <= 5);
    for ev in &e.evidence {
        assert!(ev.weight > 0.0);
        assert_eq!(text.get(ev.start..ev.end), Some(ev.text.as_str()));
    }
    assert!(e.evidence.windows(2).all(|w| w[0].weight >= w[1].weight));
    for span in e.spans() {
        assert!(text.get(span).is_some());
    }
}

#[test]
fn fingerprints_ignore_case_width_and_link_codes() {
    let a = simhash::fingerprint(
        "Join our VIP group today and get free signals every morning t.me/vip_abc",
    );
    let b = simhash::fingerprint(
        "ＪＯＩＮ our vip group today and get free signals every morning t.me/vip_xyz",
    );
    assert!(a.is_some());
    assert_eq!(a, b);
}
