package dev.consentry.identity.consent;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.id.AppId;
import java.util.Locale;
import java.util.Set;

/**
 * The Microsoft-managed user consent policies' facts: the delegated permissions that
 * {@code microsoft-user-default-recommended} ("Let Microsoft manage your consent settings", the default of new
 * tenants) keeps users from consenting to, and the mail clients for which
 * {@code microsoft-user-default-allow-consent-apps} allows the mail ones again.
 *
 * <p>Source: Microsoft Learn, "Manage app consent policies", section "Microsoft recommended current settings", as
 * published with the message-center announcements MC1097272 (June 2025: Files and Sites), MC1163922 (October 2025:
 * mail, calendars, chat, meetings, IMAP/POP/EWS/EAS) and MC1304287 (2026: contacts, people, tasks). Microsoft changes
 * this list over time; it is kept here as of December 2026.
 */
final class MicrosoftManagedConsent {
    /** Permission names (lower case) excluded from user consent, on Microsoft Graph and on Exchange Online. */
    private static final Set<String> EXCLUDED = Set.of(
            "files.read.all", "files.readwrite.all", "sites.read.all", "sites.readwrite.all",
            "mail.read", "mail.readwrite", "mail.readbasic", "mail.read.shared", "mail.readwrite.shared",
            "mail.readbasic.shared", "mailboxitem.read", "mailboxfolder.read", "mailboxfolder.readwrite",
            "mailboxsettings.read", "mailboxsettings.readwrite",
            "calendars.read", "calendars.readbasic", "calendars.readwrite", "calendars.read.shared",
            "calendars.readwrite.shared", "chat.read", "chat.readwrite", "onlinemeetings.read", "onlinemeetings.readwrite",
            "contacts.readwrite", "contacts.read.shared", "contacts.readwrite.shared",
            "tasks.read", "tasks.readwrite", "tasks.read.shared", "tasks.readwrite.shared", "people.read",
            "eas.accessasuser.all", "ews.accessasuser.all", "imap.accessasuser.all", "pop.accessasuser.all");
    /** Mail clients named by the policy whose app id is public: Mozilla Thunderbird. */
    private static final Set<AppId> MAIL_CLIENTS = Set.of(AppId.of("9e5f94bc-e8a4-4e73-b8be-63364c29d753"));

    private MicrosoftManagedConsent() {}

    /** True when users may not consent to {@code permission} of {@code resource} under the recommended policy. */
    static boolean excluded(AppId resource, String permission) {
        return (resource.equals(WellKnown.GRAPH_APP_ID) || resource.equals(WellKnown.EXCHANGE_APP_ID))
                && EXCLUDED.contains(permission.toLowerCase(Locale.ROOT));
    }

    /** True for a mail client {@code microsoft-user-default-allow-consent-apps} names. */
    static boolean mailClient(AppId client) {
        return MAIL_CLIENTS.contains(client);
    }
}
