package dev.consentry.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.ObjIntConsumer;

/**
 * Reads the entries of an HTTP Archive (HAR 1.2: {@code log.entries[]}) one at a time, with Jackson's streaming
 * parser: only one entry is ever held as a tree, so a file of any size reads in a small heap. Every other member of
 * the file is skipped unread. A file that is not JSON, has no {@code log.entries} array or is cut short is a usage
 * error (exit 2) saying where it broke and how many entries were read before.
 */
final class HarFile {
    private HarFile() {}

    /** Hands every entry to {@code handler} with its 1-based index, in file order; returns how many there were. */
    static int read(Path file, ObjIntConsumer<JsonNode> handler) {
        ObjectMapper mapper = new ObjectMapper();
        int read = 0;
        try (JsonParser p = mapper.getFactory().createParser(Files.newInputStream(file))) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw Main.UserError.usage(file + " is empty, not a HAR file");
            }
            if (first != JsonToken.START_OBJECT) {
                throw Main.UserError.usage(file + " is not a HAR file: its JSON is not an object with log.entries");
            }
            boolean entries = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.START_OBJECT || !name.equals("log")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String member = p.currentName();
                    if (p.nextToken() != JsonToken.START_ARRAY || !member.equals("entries")) {
                        p.skipChildren();
                        continue;
                    }
                    entries = true;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() == null) {
                            throw Main.UserError.usage(file + " is cut short after " + read + " entries");
                        }
                        JsonNode entry = mapper.readTree(p);
                        read++;
                        handler.accept(entry, read);
                    }
                }
            }
            if (!entries) {
                throw Main.UserError.usage(file + " is not a HAR file: it has no log.entries array");
            }
            return read;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String what = e.getOriginalMessage() == null ? "" : ": " + e.getOriginalMessage().lines().findFirst().orElse("");
            throw Main.UserError.usage(file + " is not valid JSON or is cut short" + where + ", after " + read
                    + (read == 1 ? " entry" : " entries") + " read" + what);
        } catch (NoSuchFileException e) {
            throw Main.UserError.usage("no such file: " + file);
        } catch (IOException e) {
            throw Main.UserError.usage("cannot read " + file + ": " + e.getMessage());
        }
    }
}
