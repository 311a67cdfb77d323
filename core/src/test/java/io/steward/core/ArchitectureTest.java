package io.steward.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The core is pure: no I/O, no clock, no threads, no randomness, no logging. */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.steward.core");

    @Test
    void coreDoesNoInputOutputAndUsesNoThreadsOrLogging() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.net..", "java.nio..",
                        "java.sql..", "java.util.concurrent..", "java.util.logging..", "java.lang.management..",
                        "org.slf4j..", "org.apache..", "io.netty..", "com.fasterxml..")
                .because("the fold and the decisions must be pure functions of the log")
                .check(CORE);
    }

    @Test
    void coreNeverReadsTheClock() {
        noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Instant.class, "now")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(OffsetDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
                .because("time comes from the log, so replay gives the same decisions")
                .check(CORE);
    }

    @Test
    void coreStartsNoThreadAndPrintsNothing() {
        noClasses().should().dependOnClassesThat().areAssignableTo(Thread.class)
                .orShould().dependOnClassesThat().areAssignableTo(Random.class)
                .orShould().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class)
                .check(CORE);
    }
}
