//! The server itself: config, URLs, start and stop.

use super::*;
use crate::sandbox::{Sandbox, SandboxOptions};
use crate::vendor::Vendor;

#[tokio::test]
async fn config_toml_has_a_profile_per_vendor_with_known_keys() {
    let sb = sandbox(10).await;
    let text = sb.config_toml();
    assert!(text.starts_with("# "), "a comment line first: {text}");
    let table: toml::Table = toml::from_str(&text).expect("valid TOML");
    assert_eq!(table["default_profile"].as_str(), Some("engage"));
    let profiles = table["profiles"].as_table().unwrap();
    assert_eq!(profiles.len(), Vendor::all().count());
    for vendor in Vendor::all() {
        let p = profiles[vendor.id()].as_table().unwrap();
        assert_eq!(p["provider"].as_str(), Some(vendor.id()));
        assert_eq!(p["base_url"].as_str(), Some(sb.base_url(vendor).as_str()));
        let fields = vendor.profile_fields();
        for (key, value) in p
            .iter()
            .filter(|(k, _)| *k != "provider" && *k != "base_url")
        {
            assert!(fields.iter().any(|f| f.key == key), "{vendor:?}: {key}");
            assert!(value.is_str());
        }
        let required = fields.iter().filter(|f| f.required && f.key != "server");
        for f in required {
            assert!(p.contains_key(f.key), "{vendor:?} lacks {}", f.key);
        }
    }
    assert!(
        profiles["insider"]
            .as_table()
            .unwrap()
            .contains_key("client_secret")
    );
}

#[tokio::test]
async fn base_urls_and_stop() {
    let sb = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let port = sb.addr().port();
    assert_ne!(port, 0);
    assert_eq!(
        sb.base_url(Vendor::Wolkvox),
        format!("http://127.0.0.1:{port}/wolkvox")
    );
    let (start, end) = sb.data_span();
    assert_eq!((end - start).num_days(), 400);
    assert_eq!(end, crate::sandbox::next_midnight());
    let c = client();
    let probe = format!("http://127.0.0.1:{port}/engage/campaigns");
    assert_eq!(c.get(&probe).send().await.unwrap().status(), 401);
    sb.shutdown().await;
    let fresh = client();
    assert!(fresh.get(&probe).send().await.is_err(), "stopped");

    let sb = sandbox(10).await;
    let probe = sb.base_url(Vendor::Engage) + "/campaigns";
    drop(sb);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(client().get(&probe).send().await.is_err(), "dropped");
}
