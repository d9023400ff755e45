package org.lrm.xero.architecture.planted.handler;

import org.lrm.xero.architecture.planted.support.Environment;

/** Planted: a composition root's settings, read from the environment as the rules want it. */
public record PlantedSettings(String tableName) {

    public static PlantedSettings fromEnvironment() {
        return new PlantedSettings(Environment.current().get("TABLE_NAME"));
    }
}
