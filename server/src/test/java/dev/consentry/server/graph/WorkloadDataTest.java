package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.server.testing.WorkloadTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mail, calendar and files through the Graph SDK, with the data a tenant file gives Adele (two messages, an event,
 * two files) and Megan licensed beside her: reading and paging the mailbox, marking and deleting a message,
 * sending mail from one mailbox to another, creating an event, listing the drive, and Exchange's and OneDrive's
 * refusals of bad input.
 */
class WorkloadDataTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static String adeleToken;
    static String meganToken;

    @BeforeAll
    static void seedAdelesMailboxAndLicenceBoth() throws Exception {
        server.consentry().importTenants(List.of(WorkloadTenant.fabrikam(
                List.of(Map.of("id", "welcome", "subject", "Welcome to Fabrikam", "receivedDateTime", "2026-11-01T08:00:00Z",
                                "isRead", true, "parentFolderId", "inbox", "from", Map.of("emailAddress", Map.of("address", "hr@fabrikam.example"))),
                        Map.of("id", "lunch", "subject", "Lunch on Friday?", "receivedDateTime", "2026-11-20T11:00:00Z",
                                "isRead", false, "parentFolderId", "inbox")),
                List.of(Map.of("id", "standup", "subject", "Stand-up",
                        "start", Map.of("dateTime", "2026-12-02T09:00:00", "timeZone", "UTC"),
                        "end", Map.of("dateTime", "2026-12-02T09:15:00", "timeZone", "UTC"))),
                List.of(Map.of("id", "plan", "name", "Plan.docx", "size", 12_345, "file", Map.of()),
                        Map.of("id", "photos", "name", "Photos", "folder", Map.of("childCount", 0))),
                "User.Read Mail.ReadWrite Mail.Send Calendars.ReadWrite Files.Read").build()));
        adeleToken = token(TestTenant.ADELE_UPN);
        meganToken = token(TestTenant.MEGAN_UPN);
    }

    static String token(String upn) throws Exception {
        HttpResponse<String> r = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of(
                "grant_type", "password", "client_id", TestTenant.PUBLIC_APP.toString(), "username", upn, "password",
                TestTenant.ADELE_PASSWORD, "scope", "Mail.ReadWrite Mail.Send Calendars.ReadWrite Files.Read")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static GraphServiceClient graph(String token) {
        return GraphSdk.client(server, () -> token);
    }

    @Test
    void theSeededMailboxIsReadNewestFirstPagedMarkedAndDeleted() {
        GraphServiceClient adele = graph(adeleToken);
        var page = adele.me().messages().get(c -> {
            c.queryParameters.top = 1;
            c.queryParameters.select = new String[] {"subject", "isRead"};
            c.queryParameters.filter = "parentFolderId eq 'inbox'";
        });
        assertThat(page.getValue()).extracting(Message::getSubject).containsExactly("Lunch on Friday?");
        assertThat(page.getOdataNextLink()).contains("$skiptoken=");
        var unread = adele.me().messages().get(c -> c.queryParameters.filter = "isRead eq false").getValue();
        assertThat(unread).extracting(Message::getId).containsExactly("lunch");

        Message read = new Message();
        read.setIsRead(true);
        assertThat(adele.me().messages().byMessageId("lunch").patch(read).getIsRead()).isTrue();
        assertThat(adele.me().messages().byMessageId("welcome").get().getFrom().getEmailAddress().getAddress())
                .isEqualTo("hr@fabrikam.example");

        adele.me().messages().byMessageId("welcome").delete();
        GraphSdk.refused(() -> adele.me().messages().byMessageId("welcome").get(), 404, "ErrorItemNotFound");
        Message subjectOnly = new Message();
        subjectOnly.setBodyPreview("changed");
        GraphSdk.refused(() -> adele.me().messages().byMessageId("lunch").patch(subjectOnly), 400, "ErrorInvalidProperty");
    }

    @Test
    void sentMailLandsUnreadInTheRecipientsInboxAndInTheSendersSentItems() {
        Message m = new Message();
        m.setSubject("Quarterly numbers");
        ItemBody body = new ItemBody();
        body.setContentType(BodyType.Html);
        body.setContent("<p>See the <b>attached</b> figures.</p>");
        m.setBody(body);
        m.setToRecipients(List.of(recipient(TestTenant.MEGAN_UPN), recipient("partner@contoso.example")));
        SendMailPostRequestBody send = new SendMailPostRequestBody();
        send.setMessage(m);
        send.setSaveToSentItems(true);
        graph(adeleToken).me().sendMail().post(send);

        var inbox = graph(meganToken).me().messages().get(c -> c.queryParameters.filter = "subject eq 'Quarterly numbers'")
                .getValue();
        assertThat(inbox).singleElement().satisfies(msg -> {
            assertThat(msg.getIsRead()).isFalse();
            assertThat(msg.getParentFolderId()).isEqualTo("inbox");
            assertThat(msg.getFrom().getEmailAddress().getAddress()).isEqualTo(TestTenant.ADELE_UPN);
            assertThat(msg.getBodyPreview()).isEqualTo("See the attached figures.");
        });
        var sent = graph(adeleToken).me().messages().get(c -> c.queryParameters.filter = "parentFolderId eq 'sentitems'")
                .getValue();
        assertThat(sent).extracting(Message::getSubject).contains("Quarterly numbers");

        SendMailPostRequestBody nobody = new SendMailPostRequestBody();
        Message empty = new Message();
        empty.setSubject("to no one");
        nobody.setMessage(empty);
        GraphSdk.refused(() -> graph(adeleToken).me().sendMail().post(nobody), 400, "ErrorInvalidRecipients");
        HttpResponse<String> noMessage = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1.0/me/sendMail"))
                .header("Authorization", "Bearer " + adeleToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"saveToSentItems\":false}")).build());
        assertThat(noMessage.statusCode()).isEqualTo(400);
        assertThat(noMessage.body()).contains("ErrorInvalidRequest");
    }

    static Recipient recipient(String address) {
        EmailAddress e = new EmailAddress();
        e.setAddress(address);
        Recipient r = new Recipient();
        r.setEmailAddress(e);
        return r;
    }

    @Test
    void eventsAreListedAndCreatedAndTheDriveListsItsFiles() {
        GraphServiceClient adele = graph(adeleToken);
        assertThat(adele.me().events().get().getValue()).extracting(Event::getSubject).containsExactly("Stand-up");
        Event retro = new Event();
        retro.setSubject("Retrospective");
        retro.setStart(time("2026-12-04T15:00:00"));
        retro.setEnd(time("2026-12-04T16:00:00"));
        Event created = adele.me().events().post(retro);
        assertThat(created.getId()).isNotBlank();
        assertThat(created.getOrganizer().getEmailAddress().getAddress()).isEqualTo(TestTenant.ADELE_UPN);
        assertThat(adele.me().events().byEventId(created.getId()).get().getSubject()).isEqualTo("Retrospective");
        Event noEnd = new Event();
        noEnd.setSubject("Open-ended");
        noEnd.setStart(time("2026-12-05T10:00:00"));
        GraphSdk.refused(() -> adele.me().events().post(noEnd), 400, "ErrorInvalidRequest");

        HttpResponse<String> children = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/v1.0/me/drive/root/children")).header("Authorization", "Bearer " + adeleToken).GET().build());
        assertThat(children.statusCode()).as(children.body()).isEqualTo(200);
        assertThat(children.body()).contains("Plan.docx").contains("Photos");
        HttpResponse<String> missing = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/v1.0/me/drive/items/nothing-here")).header("Authorization", "Bearer " + adeleToken).GET().build());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("itemNotFound");
    }

    static DateTimeTimeZone time(String local) {
        DateTimeTimeZone t = new DateTimeTimeZone();
        t.setDateTime(local);
        t.setTimeZone("UTC");
        return t;
    }

    static HttpResponse<String> raw(String method, String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + adeleToken).header("Content-Type", "application/json").build());
    }

    static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo(code);
    }

    @Test
    void badMailAndCalendarInputIsRefusedInExchangesTerms() throws Exception {
        HttpResponse<String> notBoolean = raw("PATCH", "/v1.0/me/messages/lunch", "{\"isRead\":\"yes\"}");
        assertError(notBoolean, 400, "RequestBodyRead");
        assertThat(JSON.readTree(notBoolean.body()).path("error").path("message").asText())
                .isEqualTo("Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
        HttpResponse<String> undeclared = raw("PATCH", "/v1.0/me/messages/lunch", "{\"colour\":\"red\"}");
        assertError(undeclared, 400, "RequestBodyRead");
        assertThat(JSON.readTree(undeclared.body()).path("error").path("message").asText()).isEqualTo("The property "
                + "'colour' does not exist on type 'Microsoft.OutlookServices.Message'. Make sure to only use property names "
                + "that are defined by the type or mark the type as open type.");
        assertError(raw("POST", "/v1.0/me/events", "{\"subject\":\"Stand-up\",\"start\":{\"dateTime\":"
                + "\"2026-12-02T09:00:00\",\"timeZone\":7}}"), 400, "RequestBodyRead");
        assertError(raw("PATCH", "/v1.0/me/messages/lunch", "[1,2]"), 400, "BadRequest");
        assertError(raw("PATCH", "/v1.0/me/messages/nothing-here", "{\"isRead\":true}"), 404, "ErrorItemNotFound");
        assertError(raw("POST", "/v1.0/me/sendMail", "{\"message\":{\"toRecipients\":[{\"emailAddress\":{\"address\":"
                + "\"not-an-address\"}}]}}"), 400, "ErrorInvalidRecipients");
        assertError(raw("POST", "/v1.0/me/sendMail", "{\"message\":{\"toRecipients\":\"megan\"}}"), 400, "ErrorInvalidRecipients");
        assertError(raw("POST", "/v1.0/me/events", "not json"), 400, "BadRequest");
        assertError(raw("GET", "/v1.0/me/messages?$select=colour", null), 400, "BadRequest");
        assertError(raw("GET", "/v1.0/me/messages?$count=maybe", null), 400, "BadRequest");
        assertError(raw("DELETE", "/v1.0/me/events/nothing-here", null), 404, "ErrorItemNotFound");
        assertThat(server.consentry().store().workload().list(TestTenant.TENANT, TestTenant.ADELE,
                dev.consentry.core.workload.WorkloadItem.Kind.MESSAGE)).extracting(i -> i.body().get("isRead"))
                .as("no refused change stored").doesNotContain("yes");
    }

    @Test
    void anotherUsersMailboxNeedsAPermissionThatReachesIt() {
        // Mail.ReadWrite (delegated) reaches the signed-in user's own mailbox only.
        var denied = GraphSdk.refused(() -> graph(meganToken).users().byUserId(TestTenant.ADELE.toString()).messages().get(), 403,
                "ErrorAccessDenied");
        assertThat(denied.getError().getMessage()).as("Exchange's own text").isEqualTo(
                "Access is denied. Check credentials and try again.");
    }
}
