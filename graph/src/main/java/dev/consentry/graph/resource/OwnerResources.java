package dev.consentry.graph.resource;

import static dev.consentry.graph.resource.DirectoryRows.*;

import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.ObjectId;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The owners of applications and service principals: listed ({@code GET .../owners}), added
 * ({@code POST .../owners/$ref} with {@code {"@odata.id": ".../directoryObjects/{id}"}}) and removed
 * ({@code DELETE .../owners/{id}/$ref}), addressed by object id or by {@code appId}
 * (https://learn.microsoft.com/graph/api/application-post-owners, application-list-owners, application-delete-owners,
 * and the same for {@code servicePrincipal}). An owner is a user or a service principal of the tenant: "Application
 * owners can be individual users, the associated service principal, or another service principal".
 *
 * <p>Who may change owners is the authorization engine's: an owner or an application administrator; an app needs
 * Directory.Read.All besides Application.ReadWrite.All (or, on what it owns, OwnedBy) to add one, as Graph's
 * permission table says. Each change is in the
 * audit log with Entra's activity names ("Add owner to application", "Remove owner from service principal", ...;
 * https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities).
 *
 * <pre>{@code
 * curl -X POST https://localhost:8443/v1.0/applications/$ID/owners/\$ref -H "Authorization: Bearer $TOKEN" \
 *      -H "Content-Type: application/json" -d '{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/'$USER'"}'
 * curl -X DELETE https://localhost:8443/v1.0/applications/$ID/owners/$USER/\$ref -H "Authorization: Bearer $TOKEN"
 * }</pre>
 */
final class OwnerResources {
    private final Store store;
    private final DirectoryRows rows;

    OwnerResources(Store store, DirectoryRows rows) {
        this.store = store;
        this.rows = rows;
    }

    /** What the routes need of an application or a service principal, whichever the path names. */
    private record Owned(ObjectId id, String displayName, String type, List<ObjectId> owners, Consumer<List<ObjectId>> save) {
        /** "application" or "service principal", as the audit log's activity names put it. */
        String noun() {
            return type.equals("Application") ? "application" : "service principal";
        }
    }

    void declare(GraphRoutes routes) {
        for (String set : List.of("/applications/{id}", "/applications(appid={value})", "/serviceprincipals/{id}",
                "/serviceprincipals(appid={value})")) {
            boolean application = set.startsWith("/applications");
            routes.on("GET", set + "/owners", call -> !isRef(call), call -> with(call, application, o -> ODataQuery.collection(call,
                    DIRECTORY_OBJECTS, o.owners().stream().map(id -> rows.directoryObject(call, id)).flatMap(Optional::stream).toList())));
            routes.on("POST", set + "/owners", DirectoryRows::isRef, call -> with(call, application, o -> addOwner(call, o)));
            routes.on("DELETE", set + "/owners/{id}", DirectoryRows::isRef, call -> with(call, application, o -> removeOwner(call, o)));
        }
    }

    private GraphAnswer with(GraphCall call, boolean application, java.util.function.Function<Owned, GraphAnswer> action) {
        if (application) {
            return ApplicationResources.withApplication(store, call, a -> action.apply(owned(call, a)));
        }
        return ApplicationResources.withServicePrincipal(store, call, sp -> action.apply(owned(call, sp)));
    }

    private Owned owned(GraphCall call, Application a) {
        return new Owned(a.id(), a.displayName(), "Application", a.owners(),
                owners -> store.applications().save(call.tenant(), a.withOwners(owners)));
    }

    private Owned owned(GraphCall call, ServicePrincipal sp) {
        return new Owned(sp.id(), sp.displayName(), "ServicePrincipal", sp.owners(),
                owners -> store.servicePrincipals().save(call.tenant(), sp.withOwners(owners)));
    }

    /**
     * Adds the user or service principal {@code @odata.id} names. Refused: a body without a directory object's URL,
     * 400; an id that is no object of the tenant, 404 as Graph answers an unknown reference; a group, 400; an owner
     * already, 400 with Graph's message for a reference that exists. 204 once added.
     */
    private GraphAnswer addOwner(GraphCall call, Owned o) {
        String ref = call.bodyObject().map(b -> b.path("@odata.id").asText("")).orElse("");
        Optional<ObjectId> owner = ObjectId.tryParse(ref.substring(ref.lastIndexOf('/') + 1));
        if (owner.isEmpty()) {
            return GraphAnswer.badBody("The request body must be {\"@odata.id\": \"https://graph.microsoft.com/v1.0/"
                    + "directoryObjects/{id}\"}.");
        }
        boolean user = store.users().find(call.tenant(), owner.get()).isPresent();
        boolean principal = store.servicePrincipals().find(call.tenant(), owner.get()).isPresent();
        if (!user && !principal) {
            if (store.groups().find(call.tenant(), owner.get()).isPresent()) {
                return GraphAnswer.error(400, "Request_BadRequest", "The owners of an " + o.noun()
                        + " are users or service principals; '" + owner.get() + "' is a group.");
            }
            return GraphAnswer.notFound(owner.get().toString());
        }
        if (o.owners().contains(owner.get())) {
            return GraphAnswer.error(400, "Request_BadRequest",
                    "One or more added object references already exist for the following modified properties: 'owners'.");
        }
        List<ObjectId> owners = new ArrayList<>(o.owners());
        owners.add(owner.get());
        o.save().accept(owners);
        Audits.record(store, call, "Add owner to " + o.noun(), "Assign", o.id().toString(), o.displayName(), o.type(),
                Audits.changed("Owner", null, owner.get().toString()));
        return GraphAnswer.empty(204, Map.of());
    }

    /** Removes the owner the path names; 404 when it is not one. 204 once removed. */
    private GraphAnswer removeOwner(GraphCall call, Owned o) {
        String named = segment(call, 3);
        Optional<ObjectId> owner = ObjectId.tryParse(named).filter(o.owners()::contains);
        if (owner.isEmpty()) {
            return GraphAnswer.notFound(named);
        }
        List<ObjectId> owners = new ArrayList<>(o.owners());
        owners.remove(owner.get());
        o.save().accept(owners);
        Audits.record(store, call, "Remove owner from " + o.noun(), "Unassign", o.id().toString(), o.displayName(), o.type(),
                Audits.changed("Owner", owner.get().toString(), null));
        return GraphAnswer.empty(204, Map.of());
    }
}
