import Foundation

/// Parses a `--channel` value into a ready `Channel`, reading its settings once, up front.
///
/// Forms: `smtp://HOST[:PORT]` (STARTTLS when offered; required when a user is configured),
/// `smtp+starttls://HOST[:PORT]` (STARTTLS required), `smtps://HOST[:PORT]` (implicit TLS),
/// `sendmail`, `sendmail:PATH`, `webhook:URL` (http or https), `outbox:DIR`.
/// Settings (environment first, then git config): SMTP user `SIGIT_SMTP_USER` /
/// `sigit.notify.smtp.user`, password `SIGIT_SMTP_PASSWORD` (environment only), CA file
/// `SIGIT_SMTP_CAFILE` / `sigit.notify.smtp.cafile`; webhook key `SIGIT_WEBHOOK_SECRET`
/// (environment only, required), CA file `SIGIT_WEBHOOK_CAFILE` / `sigit.notify.webhook.cafile`,
/// first retry delay `SIGIT_WEBHOOK_BACKOFF_MS`.
public enum ChannelSpec {
    /// The channel `text` names, configured from `environment` and `config` (a git config lookup).
    /// Throws a `.configuration` `DeliveryError` for an unknown form or missing/misplaced settings.
    public static func parse(
        _ text: String,
        environment: [String: String],
        config: (String) -> String?
    ) throws -> any Channel {
        try withoutActuallyEscaping(config) { config in
            try make(text.trimmingSpaces, ChannelSettings(environment: environment, config: config))
        }
    }

    /// The channel for `spec`; `settings` does not outlive the call (channels copy what they need).
    private static func make(_ spec: String, _ settings: ChannelSettings) throws -> any Channel {
        let lower = spec.lowercased()
        if lower.hasPrefix("smtp://") || lower.hasPrefix("smtp+starttls://") || lower.hasPrefix("smtps://") {
            return try SMTPChannel(spec: spec, settings: settings)
        }
        if lower == "sendmail" || lower.hasPrefix("sendmail:") {
            let path = spec.count > "sendmail".count ? String(spec.dropFirst("sendmail:".count)) : ""
            return try SendmailChannel(path: path, settings: settings)
        }
        if lower.hasPrefix("webhook:") {
            return try WebhookChannel(url: String(spec.dropFirst("webhook:".count)), settings: settings)
        }
        if lower.hasPrefix("outbox:") {
            return try OutboxChannel(directory: String(spec.dropFirst("outbox:".count)), settings: settings)
        }
        throw DeliveryError(
            channel: spec.isEmpty ? "(empty channel)" : spec, kind: .configuration,
            reason: "unknown channel; use smtp://HOST:PORT, smtp+starttls://HOST:PORT, smtps://HOST:PORT, sendmail, sendmail:PATH, webhook:URL or outbox:DIR"
        )
    }
}
