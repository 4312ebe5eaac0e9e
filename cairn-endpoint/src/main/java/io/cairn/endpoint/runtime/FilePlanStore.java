package io.cairn.endpoint.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.core.Invariants;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanStore;
import io.cairn.endpoint.plan.PlanVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans as JSON files named {@code p000145.json} in one directory: readable by a person with
 * {@code cat}, written once (create-new) so a plan is never changed after publication. The plan's
 * hash is checked again on every read.
 */
public final class FilePlanStore implements PlanStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  public FilePlanStore(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  @Override
  public synchronized void publish(Plan plan) {
    Optional<Plan> newest = newest();
    Invariants.check(newest.isEmpty() || plan.version().newerThan(newest.get().version()),
        "plan %s is not newer than %s", plan.version(), newest.map(Plan::version).orElse(null));
    try {
      Path tmp = dir.resolve(plan.version().label() + ".json.tmp");
      Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(plan));
      Files.move(tmp, dir.resolve(plan.version().label() + ".json"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<Plan> newest() {
    List<PlanVersion> vs = versions();
    return vs.isEmpty() ? Optional.empty() : get(vs.getLast());
  }

  @Override
  public Optional<Plan> get(PlanVersion version) {
    Path f = dir.resolve(version.label() + ".json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(f), Plan.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<PlanVersion> versions() {
    List<PlanVersion> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "p[0-9][0-9][0-9][0-9][0-9][0-9].json")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        out.add(PlanVersion.of(Long.parseLong(name.substring(1, 7))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }
}
