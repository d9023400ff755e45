package org.lrm.xero.bench.coldstart.crac;

/** A CRaC resource as {@code org.crac} expects of a CRaC implementation (see {@link Core}). */
public interface Resource {

    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
