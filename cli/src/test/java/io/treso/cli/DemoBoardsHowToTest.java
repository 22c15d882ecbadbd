package io.treso.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the demo prints about the boards names files that exist and the compose stack's Grafana. */
class DemoBoardsHowToTest {
    @Test
    void theInstructionsNameRealFiles() throws Exception {
        String howTo = DemoCommand.boardsHowTo(9249);
        Matcher path = Pattern.compile("(docker/[\\w/.-]+?)(?=[:\"\\s])").matcher(howTo);
        int paths = 0;
        while (path.find()) {
            assertTrue(Files.exists(Path.of("..").resolve(path.group(1))), path.group(1));
            paths++;
        }
        assertTrue(paths >= 4, howTo);
        String compose = Files.readString(Path.of("..", "docker", "compose.yaml"));
        Matcher image = Pattern.compile("grafana/grafana:\\S+").matcher(howTo);
        assertTrue(image.find() && compose.contains(image.group()), "the compose stack's Grafana");
        String demoConfig = Files.readString(Path.of("..", "docker", "prometheus", "demo.yml"));
        assertTrue(demoConfig.contains("localhost:9249") && !howTo.contains("edit its target"));
        assertTrue(DemoCommand.boardsHowTo(9300).contains("localhost:9300"));
    }
}
