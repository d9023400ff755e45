package org.lrm.xero.bench.coldstart.crac;

/** A CRaC context as {@code org.crac} expects of a CRaC implementation (see {@link Core}). */
public abstract class Context<R extends Resource> implements Resource {

    public abstract void register(R resource);
}
