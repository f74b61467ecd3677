use std::collections::HashMap;

use secrecy::ExposeSecret;

use super::*;

const PRODUCT_EXAMPLE: &str = r#"
default_profile = "engage-prod"

[profiles.engage-prod]
provider  = "engage"
bot_token = { env = "ENGAGE_BOT_TOKEN" }          # X-Token
token     = { command = "get-engage-jwt" }        # Authorization: Bearer <JWT>
timezone  = "America/Bogota"

[profiles.insider]
provider = "insider"
token    = { env = "INSIDER_OAUTH_TOKEN" }        # OAuth 2.0 bearer

[profiles.wolkvox]
provider = "wolkvox"
server   = "0032"                                 # https://wv0032.wolkvox.com
token    = { env = "WOLKVOX_TOKEN" }              # wolkvox-token header

[profiles.engati]
provider = "engati"
api_key     = { env = "ENGATI_API_KEY" }          # Authorization: Basic <key>
customer_id = "10294"                             # the CID in every path
bot_key     = "1a1c9bfa5e0f41ed"

[profiles.engagive]
provider   = "engagive"
account_id = "…"
token      = { env = "ENGAGIVE_TOKEN" }
"#;

const PATH: &str = "/home/u/.config/wa-analytics/config.toml";

fn parse(text: &str) -> ConfigFile {
    ConfigFile::parse(text, Path::new(PATH)).expect("the file parses")
}

fn profile_err(text: &str, name: &str) -> ConfigError {
    parse(text)
        .profile(name)
        .expect_err("the profile is refused")
}

fn source_kind(profile: &Profile, key: &str) -> &'static str {
    profile.secret(key).expect("a secret").source().kind()
}

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn product_example_holds_all_five_vendors_and_each_profile_validates() {
    let file = parse(PRODUCT_EXAMPLE);
    assert_eq!(file.path(), Path::new(PATH));
    assert_eq!(file.default_profile(), Some("engage-prod"));
    assert_eq!(
        file.profile_names(),
        ["engage-prod", "engagive", "engati", "insider", "wolkvox"]
    );

    let engage = file.profile("engage-prod").unwrap();
    assert_eq!(engage.name, "engage-prod");
    assert_eq!(engage.vendor, Vendor::Engage);
    assert_eq!(engage.origin, ProfileOrigin::File(PathBuf::from(PATH)));
    assert_eq!(
        engage.timezone,
        Some(Zone::parse("America/Bogota").unwrap())
    );
    assert_eq!(engage.base_url, None);
    assert_eq!(engage.concurrency, None);
    assert_eq!(source_kind(&engage, "bot_token"), "env");
    assert_eq!(source_kind(&engage, "token"), "command");
    assert!(matches!(
        engage.secret("token").unwrap().source(),
        SecretSource::Command(c) if c == "get-engage-jwt"
    ));

    let insider = file.profile("insider").unwrap();
    assert_eq!(insider.vendor, Vendor::Insider);
    assert_eq!(source_kind(&insider, "token"), "env");

    let wolkvox = file.profile("wolkvox").unwrap();
    assert_eq!(wolkvox.vendor, Vendor::Wolkvox);
    assert_eq!(wolkvox.plain("server"), Some("0032"));

    let engati = file.profile("engati").unwrap();
    assert_eq!(engati.vendor, Vendor::Engati);
    assert_eq!(engati.plain("customer_id"), Some("10294"));
    assert_eq!(engati.plain("bot_key"), Some("1a1c9bfa5e0f41ed"));
    assert!(engati.plain("api_key").is_none(), "api_key is a secret");
    assert!(
        engati.secret("customer_id").is_none(),
        "customer_id is plain"
    );

    let engagive = file.profile("engagive").unwrap();
    assert_eq!(engagive.vendor, Vendor::Engagive);
    assert_eq!(engagive.plain("account_id"), Some("…"));

    for name in file.profile_names() {
        assert!(file.provider_of(&name).is_some(), "{name}");
    }
    assert_eq!(file.provider_of("engati").as_deref(), Some("engati"));
    assert!(file.warnings().is_empty(), "parsed text has no permissions");
}

#[test]
fn unknown_top_level_key_fails_the_whole_file() {
    let err = ConfigFile::parse("colour = true\n", Path::new(PATH)).unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "{PATH}: unknown top-level key 'colour'; the file holds only default_profile and [profiles.NAME] tables"
        )
    );
    assert!(err.hint.is_some());
}

#[test]
fn toml_syntax_error_names_the_file_line_and_column_without_quoting_the_line() {
    let text = "[profiles.p]\nprovider = \"engage\"\ntoken \"CANARY-syntax-2b2b2b\"\n";
    let err = ConfigFile::parse(text, Path::new(PATH)).unwrap_err();
    assert!(
        err.message
            .starts_with(&format!("{PATH}: TOML syntax error at line 3, column 7: ")),
        "{}",
        err.message
    );
    assert!(!err.message.contains("CANARY"), "{}", err.message);
    assert!(
        !err.message.contains('\n'),
        "one paragraph: {}",
        err.message
    );
}

#[test]
fn profiles_that_are_not_tables_fail_the_whole_file() {
    let err = ConfigFile::parse("profiles = 3\n", Path::new(PATH)).unwrap_err();
    assert_eq!(
        err.message,
        format!("{PATH}: profiles must be tables such as [profiles.NAME], not an integer")
    );
}

#[test]
fn unknown_profile_lists_the_profiles_the_file_has() {
    let err = profile_err(PRODUCT_EXAMPLE, "engage-staging");
    assert_eq!(
        err.message,
        format!(
            "profile 'engage-staging' in {PATH}: no such profile; the file has: engage-prod, engagive, engati, insider, wolkvox"
        )
    );
    assert!(err.hint.unwrap().contains("wa-analytics profiles list"));
}

#[test]
fn unknown_profile_in_a_file_without_profiles_says_it_has_none() {
    let err = profile_err("", "prod");
    assert_eq!(
        err.message,
        format!("profile 'prod' in {PATH}: no such profile; the file has no profiles")
    );
    assert!(err.hint.unwrap().contains("[profiles.prod]"));
}

#[test]
fn default_profile_naming_a_missing_profile_is_reported_when_used() {
    let text = "default_profile = \"gone\"\n[profiles.here]\nprovider = \"wolkvox\"\ntoken = { env = \"T\" }\n";
    let file = parse(text);
    assert_eq!(file.default_profile(), Some("gone"));
    let err = file.profile("gone").unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "profile 'gone' in {PATH}: default_profile names it but there is no [profiles.gone] table; the file has: here"
        )
    );
    assert!(err.hint.unwrap().contains("wa-analytics profiles list"));
}

#[test]
fn missing_provider_lists_the_valid_vendors() {
    let err = profile_err("[profiles.p]\ntoken = { env = \"T\" }\n", "p");
    assert_eq!(
        err.message,
        format!(
            "profile 'p' in {PATH}: missing key 'provider' (the vendor); valid providers: {}",
            vendor_ids()
        )
    );
    assert!(err.hint.unwrap().contains("provider = \"engage\""));
}

#[test]
fn unknown_provider_lists_the_valid_vendors() {
    let file = parse("[profiles.p]\nprovider = \"twilio\"\n");
    assert_eq!(file.provider_of("p").as_deref(), Some("twilio"));
    let err = file.profile("p").unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "profile 'p' in {PATH}: unknown provider 'twilio'; valid providers: {}",
            vendor_ids()
        )
    );
}

#[test]
fn unknown_key_names_the_profile_the_key_and_the_keys_the_vendor_takes() {
    let text = "[profiles.engage-prod]\nprovider = \"engage\"\nbot_token = { env = \"B\" }\ntokn = { env = \"T\" }\n";
    let err = profile_err(text, "engage-prod");
    assert_eq!(
        err.message,
        format!(
            "profile 'engage-prod' in {PATH}: unknown key 'tokn' for an engage profile; engage profiles take: bot_token, token, base_url, timezone, concurrency, command_timeout"
        )
    );
    assert_eq!(
        err.hint.as_deref(),
        Some("fix the spelling or remove the key")
    );
}

#[test]
fn missing_required_key_names_it_and_says_what_it_is() {
    let text = "[profiles.w]\nprovider = \"wolkvox\"\nserver = \"0032\"\n";
    let err = profile_err(text, "w");
    assert_eq!(
        err.message,
        format!(
            "profile 'w' in {PATH}: missing required key 'token' (the API token, sent as wolkvox-token) for a wolkvox profile"
        )
    );
    assert_eq!(
        err.hint.as_deref(),
        Some("add token = { env = \"VAR\" } to [profiles.w]")
    );
}

#[test]
fn every_missing_required_key_is_named_at_once() {
    let err = profile_err("[profiles.e]\nprovider = \"engati\"\n", "e");
    assert!(
        err.message.contains("missing required keys 'api_key' (")
            && err
                .message
                .contains("'customer_id' (the customer id (CID) in every path)")
            && err.message.contains("'bot_key' ("),
        "{}",
        err.message
    );
}

#[test]
fn insider_needs_no_particular_credential_key() {
    let profile = parse("[profiles.i]\nprovider = \"insider\"\napi_key = { env = \"K\" }\n")
        .profile("i")
        .unwrap();
    assert_eq!(source_kind(&profile, "api_key"), "env");
}

#[test]
fn secret_of_the_wrong_shape_lists_the_accepted_forms_without_the_value() {
    let base = "[profiles.p]\nprovider = \"wolkvox\"\n";
    let cases = [
        ("token = 12345678", "an integer"),
        ("token = \"\"", "an empty string"),
        (
            "token = { env = \"T\", command = \"CANARY-both-1e1e\" }",
            "a table with keys env, command",
        ),
        (
            "token = { file = \"CANARY-file-1e1e\" }",
            "a table with key 'file'",
        ),
        ("token = { env = 7 }", "env = an integer"),
        ("token = { command = \"\" }", "an empty command"),
        ("token = {}", "an empty table"),
    ];
    for (line, got) in cases {
        let err = profile_err(&format!("{base}{line}\n"), "p");
        assert_eq!(
            err.message,
            format!(
                "profile 'p' in {PATH}: key 'token' must be a literal string, {{ env = \"VAR\" }} or {{ command = \"…\" }}, not {got}"
            ),
            "{line}"
        );
        assert!(!err.message.contains("CANARY") && !err.message.contains("12345678"));
        assert!(err.hint.unwrap().contains("token = { env = \"VAR\" }"));
    }
}

#[test]
fn plain_field_must_be_a_string() {
    let text = "[profiles.g]\nprovider = \"engagive\"\naccount_id = 42\ntoken = { env = \"T\" }\n";
    let err = profile_err(text, "g");
    assert_eq!(
        err.message,
        format!("profile 'g' in {PATH}: key 'account_id' must be a string, not an integer")
    );
    assert_eq!(
        err.hint.as_deref(),
        Some("write account_id = \"…\" in [profiles.g]")
    );
}

#[test]
fn integer_customer_id_and_server_become_their_decimal_strings() {
    let text = "[profiles.e]\nprovider = \"engati\"\napi_key = { env = \"K\" }\ncustomer_id = 10294\nbot_key = \"1a1c\"\n\n[profiles.w]\nprovider = \"wolkvox\"\nserver = 32\ntoken = { env = \"T\" }\n";
    let file = parse(text);
    assert_eq!(
        file.profile("e").unwrap().plain("customer_id"),
        Some("10294")
    );
    assert_eq!(file.profile("w").unwrap().plain("server"), Some("32"));
}

#[test]
fn timezone_is_validated() {
    let base = "[profiles.w]\nprovider = \"wolkvox\"\ntoken = { env = \"T\" }\n";
    let ok = parse(&format!("{base}timezone = \"-05:00\"\n"))
        .profile("w")
        .unwrap();
    assert_eq!(ok.timezone, Some(Zone::parse("-05:00").unwrap()));

    let err = profile_err(&format!("{base}timezone = \"Mars/Olympus\"\n"), "w");
    assert!(
        err.message.starts_with(&format!(
            "profile 'w' in {PATH}: key 'timezone': unknown time zone 'Mars/Olympus'"
        )),
        "{}",
        err.message
    );
    let err = profile_err(&format!("{base}timezone = 5\n"), "w");
    assert_eq!(
        err.message,
        format!("profile 'w' in {PATH}: key 'timezone' must be a string, not an integer")
    );
}

#[test]
fn concurrency_must_be_a_whole_number_of_at_least_one() {
    let base = "[profiles.w]\nprovider = \"wolkvox\"\ntoken = { env = \"T\" }\n";
    let ok = parse(&format!("{base}concurrency = 4\n"))
        .profile("w")
        .unwrap();
    assert_eq!(ok.concurrency, Some(4));
    for (value, got) in [
        ("0", "0"),
        ("-2", "-2"),
        ("\"4\"", "a string"),
        ("1.5", "a float"),
    ] {
        let err = profile_err(&format!("{base}concurrency = {value}\n"), "w");
        assert_eq!(
            err.message,
            format!(
                "profile 'w' in {PATH}: key 'concurrency' must be a whole number of at least 1, not {got}"
            )
        );
    }
}

#[test]
fn command_timeout_is_whole_seconds_of_at_least_one_and_reaches_the_secrets() {
    let base = "[profiles.w]\nprovider = \"wolkvox\"\ntoken = { command = \"x\" }\n";
    let default = parse(base).profile("w").unwrap();
    assert_eq!(
        default.secret("token").unwrap().command_timeout(),
        std::time::Duration::from_secs(30)
    );
    let set = parse(&format!("{base}command_timeout = 5\n"))
        .profile("w")
        .unwrap();
    assert_eq!(
        set.secret("token").unwrap().command_timeout(),
        std::time::Duration::from_secs(5)
    );
    for (value, got) in [
        ("0", "0"),
        ("-2", "-2"),
        ("\"4\"", "a string"),
        ("1.5", "a float"),
    ] {
        let err = profile_err(&format!("{base}command_timeout = {value}\n"), "w");
        assert_eq!(
            err.message,
            format!(
                "profile 'w' in {PATH}: key 'command_timeout' must be a whole number of seconds, at least 1, not {got}"
            )
        );
        assert_eq!(
            err.hint.as_deref(),
            Some(
                "write command_timeout = 60 in [profiles.w], or remove it for the default of 30 s"
            )
        );
    }
}

#[test]
fn command_timeout_from_the_environment_is_validated() {
    let env = env_of(&[
        ("WA_WOLKVOX_TOKEN", "t0k3n-value"),
        ("WA_WOLKVOX_COMMAND_TIMEOUT", "soon"),
    ]);
    let err = profile_from_env(Vendor::Wolkvox, &env).unwrap_err();
    assert_eq!(
        err.message,
        "--provider wolkvox: WA_WOLKVOX_COMMAND_TIMEOUT must be a whole number of seconds, at least 1, not 'soon'"
    );
    let env = env_of(&[
        ("WA_WOLKVOX_TOKEN", "t0k3n-value"),
        ("WA_WOLKVOX_COMMAND_TIMEOUT", "10"),
    ]);
    assert!(profile_from_env(Vendor::Wolkvox, &env).is_ok());
}

#[test]
fn base_url_must_be_a_string() {
    let base = "[profiles.w]\nprovider = \"wolkvox\"\ntoken = { env = \"T\" }\n";
    let ok = parse(&format!(
        "{base}base_url = \"http://127.0.0.1:8080/wolkvox\"\n"
    ))
    .profile("w")
    .unwrap();
    assert_eq!(
        ok.base_url.as_deref(),
        Some("http://127.0.0.1:8080/wolkvox")
    );
    let err = profile_err(&format!("{base}base_url = [\"a\"]\n"), "w");
    assert_eq!(
        err.message,
        format!("profile 'w' in {PATH}: key 'base_url' must be a string, not an array")
    );
}

#[test]
fn a_profile_that_is_not_a_table_is_refused_when_used() {
    let text = "[profiles]\nodd = \"engage\"\n";
    let err = profile_err(text, "odd");
    assert_eq!(
        err.message,
        format!("profile 'odd' in {PATH}: profiles.odd must be a table, not a string")
    );
}

#[test]
fn a_broken_profile_does_not_stop_another() {
    let text = "[profiles.bad]\nprovider = \"nope\"\n\n[profiles.good]\nprovider = \"wolkvox\"\ntoken = { env = \"T\" }\n";
    let file = parse(text);
    assert!(file.profile("bad").is_err());
    assert!(file.profile("good").is_ok());
}

#[test]
fn profile_names_needing_quotes_are_quoted_in_hints() {
    let err = profile_err(
        "[profiles.\"acme corp\"]\nprovider = \"wolkvox\"\n",
        "acme corp",
    );
    assert_eq!(
        err.hint.as_deref(),
        Some("add token = { env = \"VAR\" } to [profiles.\"acme corp\"]")
    );
}

#[test]
fn resolve_secrets_reads_env_and_literal_secrets() {
    // SAFETY: the variable name is unique to this test; no other thread reads or writes it.
    unsafe { std::env::set_var("WA_TEST_CONFIG_RESOLVE_81", "CANARY-resolve-8a8a8a") };
    let text = "[profiles.e]\nprovider = \"engage\"\nbot_token = { env = \"WA_TEST_CONFIG_RESOLVE_81\" }\ntoken = \"CANARY-literal-8b8b8b\"\n";
    let profile = parse(text).profile("e").unwrap();
    profile.resolve_secrets().unwrap();
    let bot = profile.secret("bot_token").unwrap().get().unwrap();
    assert_eq!(bot.expose_secret(), "CANARY-resolve-8a8a8a");
    assert!(profile.secret("token").unwrap().is_literal());
    assert_eq!(
        crate::secret::scrub("CANARY-resolve-8a8a8a CANARY-literal-8b8b8b"),
        "*** ***"
    );
}

#[test]
fn resolve_secrets_reports_an_unset_variable() {
    let text =
        "[profiles.w]\nprovider = \"wolkvox\"\ntoken = { env = \"WA_TEST_CONFIG_NEVER_SET_82\" }\n";
    let err = parse(text)
        .profile("w")
        .unwrap()
        .resolve_secrets()
        .unwrap_err();
    assert_eq!(
        err.message,
        "profile 'w': token = { env = \"WA_TEST_CONFIG_NEVER_SET_82\" } but WA_TEST_CONFIG_NEVER_SET_82 is not set"
    );
}

#[cfg(unix)]
#[test]
fn command_secret_in_a_profile_resolves_to_trimmed_stdout() {
    let text =
        "[profiles.w]\nprovider = \"wolkvox\"\ntoken = { command = \"printf 'abc123\\\\n'\" }\n";
    let profile = parse(text).profile("w").unwrap();
    profile.resolve_secrets().unwrap();
    assert_eq!(
        profile
            .secret("token")
            .unwrap()
            .get()
            .unwrap()
            .expose_secret(),
        "abc123"
    );
}

#[test]
fn debug_of_profile_and_config_file_never_contains_the_secret() {
    let text = "[profiles.w]\nprovider = \"wolkvox\"\ntoken = \"CANARY-s3cr3t-9f8e7d\"\n";
    let file = parse(text);
    let profile = file.profile("w").unwrap();
    profile.resolve_secrets().unwrap();
    let shown = format!("{profile:?} {profile:#?} {file:?} {file:#?}");
    assert!(!shown.contains("CANARY-s3cr3t-9f8e7d"), "{shown}");
    assert!(shown.contains(r#"Credential { profile: "w", key: "token", source: "literal" }"#));
}

#[cfg(unix)]
fn write_with_mode(dir: &Path, text: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

#[cfg(unix)]
#[test]
fn group_readable_file_with_a_literal_secret_gets_a_chmod_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[profiles.w]\nprovider = \"wolkvox\"\ntoken = \"CANARY-perm-4e4e4e\"\n";
    let path = write_with_mode(dir.path(), text, 0o644);
    let file = ConfigFile::load(&path).unwrap();
    let shown = path.display();
    assert_eq!(
        file.warnings(),
        [format!(
            "{shown} is readable by other users and holds a literal secret (profiles.w.token); run: chmod 600 {shown}"
        )]
    );
}

#[cfg(unix)]
#[test]
fn private_file_with_a_literal_secret_gets_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[profiles.w]\nprovider = \"wolkvox\"\ntoken = \"CANARY-perm-5f5f5f\"\n";
    let path = write_with_mode(dir.path(), text, 0o600);
    assert!(ConfigFile::load(&path).unwrap().warnings().is_empty());
}

#[cfg(unix)]
#[test]
fn readable_file_without_literal_secrets_gets_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_with_mode(dir.path(), PRODUCT_EXAMPLE, 0o644);
    assert!(ConfigFile::load(&path).unwrap().warnings().is_empty());
}

#[test]
fn loading_a_missing_file_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.toml");
    let err = ConfigFile::load(&path).unwrap_err();
    assert_eq!(
        err.message,
        format!("config file {} not found", path.display())
    );
    assert!(err.hint.is_some());
}

#[test]
fn loaded_file_keeps_its_path_as_the_profiles_origin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, PRODUCT_EXAMPLE).unwrap();
    let file = ConfigFile::load(&path).unwrap();
    assert_eq!(file.path(), path);
    assert_eq!(
        file.profile("wolkvox").unwrap().origin,
        ProfileOrigin::File(path)
    );
}

#[test]
fn default_path_prefers_an_absolute_xdg_config_home() {
    let env = env_of(&[("XDG_CONFIG_HOME", "/x/cfg"), ("HOME", "/home/u")]);
    assert_eq!(
        default_path(&env),
        Some(PathBuf::from("/x/cfg/wa-analytics/config.toml"))
    );
}

#[cfg(unix)]
#[test]
fn default_path_ignores_an_empty_or_relative_xdg_config_home() {
    for xdg in ["", "relative/cfg"] {
        let env = env_of(&[("XDG_CONFIG_HOME", xdg), ("HOME", "/home/u")]);
        assert_eq!(
            default_path(&env),
            Some(PathBuf::from("/home/u/.config/wa-analytics/config.toml")),
            "{xdg:?}"
        );
    }
}

#[test]
fn default_path_falls_back_to_home() {
    let env = env_of(&[("HOME", "/home/u")]);
    assert_eq!(
        default_path(&env),
        Some(
            PathBuf::from("/home/u")
                .join(".config")
                .join("wa-analytics")
                .join("config.toml")
        )
    );
}

#[cfg(not(windows))]
#[test]
fn default_path_is_none_without_home_outside_windows() {
    let env = env_of(&[("APPDATA", "C:\\Users\\u\\AppData\\Roaming"), ("HOME", "")]);
    assert_eq!(default_path(&env), None);
}

#[cfg(windows)]
#[test]
fn default_path_uses_appdata_on_windows() {
    let env = env_of(&[("APPDATA", "C:\\Users\\u\\AppData\\Roaming")]);
    assert_eq!(
        default_path(&env),
        Some(PathBuf::from(
            "C:\\Users\\u\\AppData\\Roaming\\wa-analytics\\config.toml"
        ))
    );
}

#[test]
fn profile_from_env_reads_wa_vendor_field_variables() {
    let env = env_of(&[
        ("WA_ENGAGE_BOT_TOKEN", "CANARY-envbot-7d7d7d"),
        ("WA_ENGAGE_TOKEN", "CANARY-envjwt-7e7e7e"),
        ("WA_ENGAGE_BASE_URL", "http://127.0.0.1:8080/engage"),
        ("WA_ENGAGE_TIMEZONE", "America/Bogota"),
        ("WA_ENGAGE_CONCURRENCY", "3"),
        ("WA_ENGAGE_PROVIDER", "ignored"),
    ]);
    let profile = profile_from_env(Vendor::Engage, &env).unwrap();
    assert_eq!(profile.name, "engage");
    assert_eq!(profile.vendor, Vendor::Engage);
    assert_eq!(profile.origin, ProfileOrigin::Environment);
    assert_eq!(
        profile.base_url.as_deref(),
        Some("http://127.0.0.1:8080/engage")
    );
    assert_eq!(
        profile.timezone,
        Some(Zone::parse("America/Bogota").unwrap())
    );
    assert_eq!(profile.concurrency, Some(3));
    let token = profile.secret("token").unwrap();
    assert!(token.is_literal());
    assert_eq!(token.get().unwrap().expose_secret(), "CANARY-envjwt-7e7e7e");
    assert_eq!(
        crate::secret::scrub("CANARY-envbot-7d7d7d / CANARY-envjwt-7e7e7e"),
        "*** / ***",
        "secrets from variables are registered"
    );
}

#[test]
fn profile_from_env_reads_plain_fields() {
    let env = env_of(&[
        ("WA_WOLKVOX_SERVER", "0032"),
        ("WA_WOLKVOX_TOKEN", "tok-abcd"),
    ]);
    let profile = profile_from_env(Vendor::Wolkvox, &env).unwrap();
    assert_eq!(profile.plain("server"), Some("0032"));
    assert_eq!(profile.timezone, None);
}

#[test]
fn profile_from_env_lists_every_missing_variable() {
    let env = env_of(&[("WA_ENGATI_BOT_KEY", "1a1c")]);
    let err = profile_from_env(Vendor::Engati, &env).unwrap_err();
    assert_eq!(
        err.message,
        "--provider engati: missing environment variables: WA_ENGATI_API_KEY (the API key, sent as Authorization: Basic <key>), WA_ENGATI_CUSTOMER_ID (the customer id (CID) in every path)"
    );
    assert!(err.hint.is_some());
}

#[test]
fn profile_from_env_treats_empty_variables_as_missing() {
    let env = env_of(&[("WA_WOLKVOX_TOKEN", "")]);
    let err = profile_from_env(Vendor::Wolkvox, &env).unwrap_err();
    assert!(
        err.message.contains("WA_WOLKVOX_TOKEN ("),
        "{}",
        err.message
    );
}

#[test]
fn profile_from_env_refuses_a_bad_timezone_or_concurrency() {
    let env = env_of(&[
        ("WA_WOLKVOX_TOKEN", "tok-abcd"),
        ("WA_WOLKVOX_TIMEZONE", "Nowhere"),
    ]);
    let err = profile_from_env(Vendor::Wolkvox, &env).unwrap_err();
    assert!(
        err.message
            .starts_with("--provider wolkvox: WA_WOLKVOX_TIMEZONE: unknown time zone 'Nowhere'"),
        "{}",
        err.message
    );
    let env = env_of(&[
        ("WA_WOLKVOX_TOKEN", "tok-abcd"),
        ("WA_WOLKVOX_CONCURRENCY", "0"),
    ]);
    let err = profile_from_env(Vendor::Wolkvox, &env).unwrap_err();
    assert_eq!(
        err.message,
        "--provider wolkvox: WA_WOLKVOX_CONCURRENCY must be a whole number of at least 1, not '0'"
    );
}

#[test]
fn env_var_name_upper_cases_vendor_and_key() {
    assert_eq!(
        env_var_name(Vendor::Engage, "bot_token"),
        "WA_ENGAGE_BOT_TOKEN"
    );
    assert_eq!(env_var_name(Vendor::Wolkvox, "server"), "WA_WOLKVOX_SERVER");
}

/// The vendors' ids as error messages list them.
fn vendor_ids() -> String {
    crate::vendor::Vendor::all()
        .map(|v| v.id())
        .collect::<Vec<_>>()
        .join(", ")
}
